// English messages, keyed by rule code (for developers, logs and the API's messageEn). Registers itself on import.
import type { RuleCode } from '../rules/codes.js';
import { registerLocale } from '../rules/diagnostic.js';
import type { MessageEntry } from './vi.js';

export const en: Record<RuleCode, MessageEntry> = {
  'header.not-found': {
    title: 'Annex table not found',
    message: 'No header row of an annex table was found in {where}.',
    hint: 'The table needs a header row with columns such as "STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện".',
  },
  'header.missing-column': {
    title: 'Required column missing',
    message: 'The table has no "{column}" column.',
    hint: 'Add a "{column}" column to the header row (row {row}).',
  },
  'header.column-by-content': {
    title: 'Column recognised by its content',
    message:
      'Header "{header}" (cell {cell}) is not a template name; from the cells below it ({percent}% of them) the column is read as "{column}".',
    hint: 'If that is right, rename the header to "{column}"; if not, rename it to say what the column holds.',
  },
  'header.unknown-column': {
    title: 'Unknown column',
    message: 'Column "{header}" (cell {cell}) is not part of the annex template; its content is kept.',
    hint: 'If this is a standard column with another name, rename its header to the template name.',
  },
  'document.truncated': {
    title: 'Document truncated',
    message: 'The document ends mid-row at row {row}.',
    hint: 'Check the source file; the end of the table may not have been copied.',
    variants: {
      param: 'reason',
      cases: {
        'short-row': {
          message: 'The document ends mid-row at row {row}: the last row has {missing} fewer cells than the header.',
        },
        dangling: {
          message: 'The document ends mid-row at row {row}: the last cell stops in the middle of a sentence.',
        },
        'no-line-end': {
          message:
            'The document stops at row {row} without a line end: the rest of the table may have been lost in copying.',
        },
      },
    },
  },
  'row.rejoined': {
    title: 'Row split by a page break was rejoined',
    message: 'Row {row} continues the task at row {into} (split by a page break) and was joined to it.',
  },
  'row.orphan': {
    title: 'Row belongs to no task',
    message: 'Row {row} has content but belongs to no task or section.',
    hint: 'Give this row a number or move it into the right task.',
  },
  'row.group-heading': {
    title: 'Heading of a group of tasks',
    message:
      'Row {row} ("{number}. {title}") heads tasks {number}.1, {number}.2…: the sub-items carry their own agencies or timeline, so they are read as tasks and this row is not counted as a task.',
    hint: 'If row {row} is a task of its own, give it a lead agency and a timeline.',
  },
  'row.outline-mixed': {
    title: 'Sub-items written inconsistently',
    message:
      'Row {row} (item {number}) was read as a {read}, unlike its sibling {sibling}: one carries its own lead agency or timeline, the other does not.',
    hint: 'Give every sub-item that is a task a lead agency and a timeline; leave both empty on sub-items that are products of the task above.',
    variants: {
      param: 'read',
      cases: {
        task: {
          message:
            'Row {row} (item {number}) has no lead agency or timeline of its own but its sibling {sibling} has, so it was read as a task of its own.',
        },
        product: {
          message:
            'Row {row} (item {number}) has no lead agency or timeline of its own, so it was read as a product of the task above, while its sibling {sibling} was read as a task.',
        },
      },
    },
  },
  'row.not-placed': {
    title: 'Row in the table not read',
    message:
      'Row {row} ("{text}") lies inside the table but is no section, task or product, so it was not taken into the annex.',
    hint: "If it belongs to a task, move it into that task's cells.",
  },
  'document.after-table': {
    title: 'Text after the table',
    message:
      'Rows {from} to {to} ({count} rows) are text after the annex table (paragraphs, recipients, signature) and were not read as tasks.',
  },
  'document.encoding': {
    title: 'File in a legacy encoding',
    message: 'The file is encoded in {encoding}, not Unicode; its text was converted to Unicode to be read.',
    hint: 'Check the Vietnamese diacritics in the result; save the file as Unicode (UTF-8) when sending it again.',
  },
  'document.pdf': {
    title: 'Read from a PDF file',
    message:
      'The table was rebuilt from the positions of the text in the PDF file ({pages} pages); merged cells and rows split by page breaks may be misread.',
    hint: 'If the result is missing or wrong, send the original Word or Excel file of the annex.',
  },
  'section.missing': {
    title: 'Reform area section missing',
    message: 'The task at row {row} is not inside any reform area section (I, II, …).',
    hint: 'Add a section row above the tasks, e.g. "I. Cải cách thể chế".',
  },
  'section.unknown-area': {
    title: 'Section is not a known reform area',
    message: 'Section "{title}" matches no reform area of Resolution 76/NQ-CP.',
    hint: 'Use the standard area name, e.g. "Cải cách thủ tục hành chính".',
  },
  'section.out-of-order': {
    title: 'Sections not in Resolution 76 order',
    message: 'Section "{title}" ({area}) comes after section "{previous}"; the standard order is {expected}.',
  },
  'section.duplicate-area': {
    title: 'Reform area repeated',
    message: 'Reform area "{area}" appears in two sections: "{first}" and "{title}".',
    hint: 'Put the tasks of one area into one section.',
  },
  'number.missing': {
    title: 'Number missing',
    message: 'Task "{task}" has no number.',
    hint: 'Write number {expected} into cell {cell}.',
    fix: 'Renumber section {numeral}',
  },
  'number.gap': {
    title: 'Numbering skips',
    message: 'Numbering skips: the task at row {row} is number {number}, expected {expected}.',
    hint: 'Renumber the tasks of section "{section}" consecutively.',
    fix: 'Renumber section {numeral}',
  },
  'number.duplicate': {
    title: 'Duplicate number',
    message: 'Number {number} is already used by the task at row {firstRow}.',
    hint: 'Change it to {expected}.',
    fix: 'Renumber section {numeral}',
  },
  'number.out-of-order': {
    title: 'Numbers out of order',
    message: 'Task number {number} comes after number {previous}.',
    hint: 'Renumber the tasks of the section in increasing order.',
    fix: 'Renumber section {numeral}',
  },
  'product.number-mismatch': {
    title: 'Product number does not match its task',
    message: 'Product "{product}" is numbered {written} but belongs to task {task}.',
    hint: 'Change the number to "{expected}".',
    fix: 'Change the number to "{expected}"',
  },
  'task.missing': {
    title: 'Task text missing',
    message: 'Row {row} has number {number} but no task text.',
    hint: 'Write the task into cell {cell}.',
  },
  'product.missing': {
    title: 'Product missing',
    message: 'Task "{task}" has no product or expected result.',
    hint: 'Write a concrete product (document, report, system…) into cell {cell}.',
  },
  'lead.missing': {
    title: 'Lead agency missing',
    message: 'Task "{task}" has no lead agency.',
    hint: 'Pick the lead agency from the list in cell {cell}.',
  },
  'timeline.missing': {
    title: 'Timeline missing',
    message: 'Task "{task}" has no timeline.',
    hint: 'Write a timeline such as "Quý II/{year}", "Trước 30/6/{year}" or "Thường xuyên" into cell {cell}.',
  },
  'agency.unknown': {
    title: 'Agency not in the directory',
    message: '"{text}" is not in the agency directory ({province}).',
    hint: 'Did you mean: {suggestions}?',
  },
  'agency.superseded': {
    title: 'Agency was reorganised',
    message: '"{text}" was merged into {successor} on {sinceText}.',
    hint: 'Replace it with "{successor}".',
    fix: 'Replace with "{successor}"',
  },
  'agency.dissolved': {
    title: 'Agency dissolved',
    message: '"{text}" no longer exists since {sinceText} and has no successor.',
    hint: 'Assign the task to an agency that exists in the directory.',
    fix: 'Replace with "{successor}"',
    variants: {
      param: 'reason',
      cases: {
        handover: {
          message: '"{text}" no longer exists since {sinceText}; its tasks pass to {successor}.',
          hint: 'Replace with "{successor}" or name the agency that does the work.',
        },
      },
    },
  },
  'agency.lead-also-support': {
    title: 'Agency both leads and coordinates',
    message: '{name} is both the lead agency and a coordinating agency.',
    hint: 'Remove {name} from the coordinating agencies.',
    fix: 'Remove from coordinating agencies',
  },
  'agency.non-canonical': {
    title: 'Agency name not written in full',
    message: '"{text}" should be written in full as "{name}".',
    fix: 'Write the full agency name',
  },
  'timeline.unparsed': {
    title: 'Timeline not understood',
    message: 'The timeline "{text}" could not be read.',
    hint: 'Write it as "Quý I/{year}", "Tháng 6/{year}", "Trước 30/6/{year}", "Năm {year}" or "Thường xuyên".',
  },
  'timeline.outside-plan-year': {
    title: 'Deadline outside the plan year',
    message: 'The deadline "{text}" ({dueText}) is outside the plan year {year}.',
    hint: 'Check the year; it may be {year}.',
  },
  'timeline.in-product': {
    title: 'Timeline written in the product column',
    message: 'Cell {cell} (product) holds the timeline "{text}" while the timeline cell is empty.',
    hint: 'Move "{text}" to cell {target}.',
    fix: 'Move to the timeline column',
  },
  'task.duplicate': {
    title: 'Duplicate task',
    message: 'Task "{task}" duplicates the task at row {otherRow} ({similarity} alike).',
    hint: 'Merge the two tasks or delete one row.',
  },
  'text.html': {
    title: 'HTML in a cell',
    message: 'Cell {cell} contains HTML tags ({tags}).',
    hint: 'Remove the tags and keep the text.',
    fix: 'Remove HTML tags',
  },
  'text.legacy-encoding': {
    title: 'Legacy (non-Unicode) encoding',
    message: 'Cell {cell} uses the {encoding} encoding: "{sample}".',
    hint: 'Convert to Unicode: "{converted}".',
    fix: 'Convert to Unicode',
  },
  'text.unnormalized': {
    title: 'Text not normalised',
    message: 'Cell {cell} has stray whitespace or decomposed (NFD) Vietnamese diacritics.',
    hint: 'Remove extra spaces and use precomposed accented letters (Unicode NFC).',
    fix: 'Normalise text',
  },
  'cell.formula': {
    title: 'Cell holds a formula',
    message: 'Cell {cell} holds the formula ={formula}; the value used is "{text}".',
    hint: 'Replace the formula with its value before submitting.',
  },
  'cell.formula-text': {
    title: 'Text that looks like a formula',
    message:
      'Cell {cell} starts with "{start}" ("{text}"): pasted into another spreadsheet, it would run as a formula.',
    hint: 'Remove the leading "{start}", or put an apostrophe (\') before it to keep it as text.',
  },
  'cell.merged': {
    title: 'Merged cells',
    message: 'Range {range} is merged; its content is assigned to every row of the range.',
    hint: 'Unmerge the cells and fill in each row.',
  },
};

registerLocale('en', en);
