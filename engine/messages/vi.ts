// Vietnamese messages, keyed by rule code. {placeholders} are filled from the diagnostic's params.
import type { RuleCode } from '../rules/codes.js';

export interface MessageEntry {
  title: string;
  message: string;
  hint?: string;
  /** Label of the one-click fix button, when the rule offers a fix. */
  fix?: string;
  /**
   * Wording for particular cases: when `params[variants.param]` equals a key of `cases`, that case's message
   * (and hint, if given) replaces the default one. One code, several situations, each with fitting words.
   */
  variants?: { param: string; cases: Record<string, { message: string; hint?: string }> };
}

export const vi: Record<RuleCode, MessageEntry> = {
  'header.not-found': {
    title: 'Không tìm thấy bảng phụ lục',
    message: 'Không tìm thấy dòng tiêu đề của bảng phụ lục trong {where}.',
    hint: 'Bảng cần có dòng tiêu đề với các cột như "STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện".',
  },
  'header.missing-column': {
    title: 'Thiếu cột bắt buộc',
    message: 'Bảng thiếu cột "{column}".',
    hint: 'Thêm cột "{column}" vào dòng tiêu đề (dòng {row}).',
  },
  'header.column-by-content': {
    title: 'Cột được nhận theo nội dung',
    message:
      'Tiêu đề "{header}" (ô {cell}) không có trong mẫu; theo nội dung các ô bên dưới ({percent}% số ô), cột này được đọc là cột "{column}".',
    hint: 'Nếu đúng, nên đổi tiêu đề thành "{column}"; nếu sai, đổi tiêu đề để chỉ rõ nội dung của cột.',
  },
  'header.unknown-column': {
    title: 'Cột không xác định',
    message: 'Cột "{header}" (ô {cell}) không thuộc mẫu phụ lục; nội dung vẫn được giữ lại.',
    hint: 'Nếu đây là cột chuẩn viết khác tên, hãy đổi tiêu đề theo mẫu.',
  },
  'document.truncated': {
    title: 'Văn bản bị cắt',
    message: 'Văn bản kết thúc giữa chừng ở dòng {row}.',
    hint: 'Kiểm tra lại tệp gốc; có thể phần cuối bảng chưa được sao chép.',
    variants: {
      param: 'reason',
      cases: {
        'short-row': {
          message: 'Văn bản kết thúc giữa chừng ở dòng {row}: dòng cuối thiếu {missing} ô so với dòng tiêu đề.',
        },
        dangling: { message: 'Văn bản kết thúc giữa chừng ở dòng {row}: nội dung ô cuối cùng bị bỏ dở giữa câu.' },
        'no-line-end': {
          message:
            'Văn bản dừng ở dòng {row} mà không có dấu xuống dòng: phần còn lại của bảng có thể đã bị mất khi sao chép.',
        },
      },
    },
  },
  'row.rejoined': {
    title: 'Dòng bị ngắt trang đã được nối',
    message: 'Dòng {row} là phần tiếp theo của nhiệm vụ ở dòng {into} (bị ngắt trang) và đã được nối lại.',
  },
  'row.orphan': {
    title: 'Dòng không thuộc nhiệm vụ nào',
    message: 'Dòng {row} có nội dung nhưng không thuộc nhiệm vụ hoặc mục nào.',
    hint: 'Thêm số thứ tự cho dòng này hoặc chuyển nó vào đúng nhiệm vụ.',
  },
  'row.group-heading': {
    title: 'Tiêu đề nhóm nhiệm vụ',
    message:
      'Dòng {row} ("{number}. {title}") là tiêu đề nhóm của các nhiệm vụ {number}.1, {number}.2…: các mục con có cơ quan, thời gian riêng nên được đọc là nhiệm vụ, còn dòng này không tính là một nhiệm vụ.',
    hint: 'Nếu dòng {row} là một nhiệm vụ riêng, hãy ghi cơ quan chủ trì và thời gian thực hiện cho nó.',
  },
  'row.outline-mixed': {
    title: 'Mục con ghi không thống nhất',
    message:
      'Dòng {row} (mục {number}) được đọc là {read}, khác với mục cùng cấp {sibling}: một mục có cơ quan chủ trì hoặc thời gian riêng, mục kia không có.',
    hint: 'Ghi đủ cơ quan chủ trì và thời gian cho mọi mục con là nhiệm vụ; để trống cả hai ở các mục con là sản phẩm của nhiệm vụ phía trên.',
    variants: {
      param: 'read',
      cases: {
        task: {
          message:
            'Dòng {row} (mục {number}) không ghi cơ quan chủ trì hay thời gian riêng nhưng mục cùng cấp {sibling} có, nên được đọc là một nhiệm vụ riêng.',
        },
        product: {
          message:
            'Dòng {row} (mục {number}) không ghi cơ quan chủ trì hay thời gian riêng nên được đọc là sản phẩm của nhiệm vụ phía trên, trong khi mục cùng cấp {sibling} được đọc là nhiệm vụ.',
        },
      },
    },
  },
  'row.not-placed': {
    title: 'Dòng trong bảng không được đọc',
    message:
      'Dòng {row} ("{text}") nằm trong bảng nhưng không phải mục, nhiệm vụ hay sản phẩm nên không được đưa vào phụ lục.',
    hint: 'Nếu đây là nội dung của một nhiệm vụ, hãy chuyển nó vào đúng ô của nhiệm vụ đó.',
  },
  'document.after-table': {
    title: 'Văn bản sau bảng',
    message:
      'Từ dòng {from} đến dòng {to} ({count} dòng) là văn bản sau bảng phụ lục (đoạn văn, nơi nhận, chữ ký), không được đọc thành nhiệm vụ.',
  },
  'document.encoding': {
    title: 'Tệp dùng bảng mã cũ',
    message: 'Tệp được mã hóa bằng {encoding}, không phải Unicode; nội dung đã được chuyển sang Unicode để đọc.',
    hint: 'Kiểm tra lại dấu tiếng Việt trong kết quả; khi gửi lại, hãy lưu tệp dưới dạng Unicode (UTF-8).',
  },
  'document.pdf': {
    title: 'Đọc từ tệp PDF',
    message:
      'Bảng được dựng lại từ vị trí chữ trong tệp PDF ({pages} trang); ô gộp và dòng ngắt trang có thể bị đọc sai.',
    hint: 'Nếu kết quả thiếu hoặc sai, hãy gửi tệp Word hoặc Excel gốc của phụ lục.',
  },
  'section.missing': {
    title: 'Thiếu mục lĩnh vực',
    message: 'Nhiệm vụ ở dòng {row} không nằm trong mục lĩnh vực cải cách nào (I, II, …).',
    hint: 'Thêm dòng tiêu đề mục, ví dụ "I. Cải cách thể chế", phía trên các nhiệm vụ.',
  },
  'section.unknown-area': {
    title: 'Mục không thuộc lĩnh vực CCHC đã biết',
    message: 'Mục "{title}" không khớp lĩnh vực cải cách nào theo Nghị quyết 76/NQ-CP.',
    hint: 'Dùng tên lĩnh vực chuẩn, ví dụ "Cải cách thủ tục hành chính".',
  },
  'section.out-of-order': {
    title: 'Thứ tự mục chưa theo Nghị quyết 76',
    message: 'Mục "{title}" ({area}) đứng sau mục "{previous}"; thứ tự chuẩn là {expected}.',
  },
  'section.duplicate-area': {
    title: 'Lĩnh vực bị lặp',
    message: 'Lĩnh vực "{area}" xuất hiện ở hai mục: "{first}" và "{title}".',
    hint: 'Gộp các nhiệm vụ của cùng một lĩnh vực vào một mục.',
  },
  'number.missing': {
    title: 'Thiếu số thứ tự',
    message: 'Nhiệm vụ "{task}" chưa có số thứ tự.',
    hint: 'Ghi số thứ tự {expected} vào ô {cell}.',
    fix: 'Đánh lại số thứ tự mục {numeral}',
  },
  'number.gap': {
    title: 'Số thứ tự bị nhảy',
    message: 'Số thứ tự bị nhảy: nhiệm vụ ở dòng {row} mang số {number}, đáng lẽ là số {expected}.',
    hint: 'Đánh lại số thứ tự liên tục trong mục "{section}".',
    fix: 'Đánh lại số thứ tự mục {numeral}',
  },
  'number.duplicate': {
    title: 'Số thứ tự trùng',
    message: 'Số thứ tự {number} đã dùng cho nhiệm vụ ở dòng {firstRow}.',
    hint: 'Đổi thành số {expected}.',
    fix: 'Đánh lại số thứ tự mục {numeral}',
  },
  'number.out-of-order': {
    title: 'Số thứ tự bị đảo',
    message: 'Nhiệm vụ số {number} đứng sau số {previous}.',
    hint: 'Đánh lại số thứ tự tăng dần trong mục.',
    fix: 'Đánh lại số thứ tự mục {numeral}',
  },
  'product.number-mismatch': {
    title: 'Số của sản phẩm không khớp nhiệm vụ',
    message: 'Sản phẩm "{product}" được đánh số {written} nhưng thuộc nhiệm vụ số {task}.',
    hint: 'Sửa số thành "{expected}".',
    fix: 'Sửa số thành "{expected}"',
  },
  'task.missing': {
    title: 'Thiếu nội dung nhiệm vụ',
    message: 'Dòng {row} có số thứ tự {number} nhưng chưa ghi nội dung nhiệm vụ.',
    hint: 'Ghi nội dung nhiệm vụ vào ô {cell}.',
  },
  'product.missing': {
    title: 'Thiếu sản phẩm',
    message: 'Nhiệm vụ "{task}" chưa có sản phẩm/kết quả.',
    hint: 'Ghi sản phẩm cụ thể (văn bản, báo cáo, hệ thống…) vào ô {cell}.',
  },
  'lead.missing': {
    title: 'Thiếu cơ quan chủ trì',
    message: 'Nhiệm vụ "{task}" chưa có cơ quan chủ trì.',
    hint: 'Chọn cơ quan chủ trì trong danh sách ở ô {cell}.',
  },
  'timeline.missing': {
    title: 'Thiếu thời gian thực hiện',
    message: 'Nhiệm vụ "{task}" chưa có thời gian thực hiện.',
    hint: 'Ghi thời gian, ví dụ "Quý II/{year}", "Trước 30/6/{year}" hoặc "Thường xuyên", vào ô {cell}.',
  },
  'agency.unknown': {
    title: 'Cơ quan không có trong danh mục',
    message: '"{text}" không có trong danh mục cơ quan ({province}).',
    hint: 'Có phải là: {suggestions}?',
  },
  'agency.superseded': {
    title: 'Cơ quan đã được sắp xếp lại',
    message: '"{text}" đã hợp nhất vào {successor} từ ngày {sinceText}.',
    hint: 'Thay bằng "{successor}".',
    fix: 'Thay bằng "{successor}"',
  },
  'agency.dissolved': {
    title: 'Cơ quan đã giải thể',
    message: '"{text}" không còn hoạt động từ ngày {sinceText} và không có cơ quan kế nhiệm.',
    hint: 'Giao nhiệm vụ cho một cơ quan đang hoạt động trong danh mục.',
    fix: 'Thay bằng "{successor}"',
    variants: {
      param: 'reason',
      cases: {
        handover: {
          message: '"{text}" không còn hoạt động từ ngày {sinceText}; nhiệm vụ chuyển cho {successor}.',
          hint: 'Thay bằng "{successor}" hoặc ghi rõ cơ quan thực hiện.',
        },
      },
    },
  },
  'agency.lead-also-support': {
    title: 'Cơ quan vừa chủ trì vừa phối hợp',
    message: '{name} vừa là cơ quan chủ trì vừa là cơ quan phối hợp.',
    hint: 'Bỏ {name} khỏi cột phối hợp.',
    fix: 'Bỏ khỏi cơ quan phối hợp',
  },
  'agency.non-canonical': {
    title: 'Tên cơ quan viết chưa chuẩn',
    message: '"{text}" nên ghi đầy đủ là "{name}".',
    fix: 'Ghi đầy đủ tên cơ quan',
  },
  'timeline.unparsed': {
    title: 'Không hiểu thời gian thực hiện',
    message: 'Không đọc được thời gian "{text}".',
    hint: 'Ghi theo dạng "Quý I/{year}", "Tháng 6/{year}", "Trước 30/6/{year}", "Năm {year}" hoặc "Thường xuyên".',
  },
  'timeline.outside-plan-year': {
    title: 'Thời hạn ngoài năm kế hoạch',
    message: 'Thời hạn "{text}" ({dueText}) nằm ngoài năm kế hoạch {year}.',
    hint: 'Kiểm tra lại năm; có thể là {year}.',
  },
  'timeline.in-product': {
    title: 'Thời gian ghi nhầm vào cột Sản phẩm',
    message: 'Ô {cell} (Sản phẩm) ghi thời gian "{text}" trong khi cột Thời gian đang trống.',
    hint: 'Chuyển "{text}" sang ô {target}.',
    fix: 'Chuyển sang cột Thời gian',
  },
  'task.duplicate': {
    title: 'Nhiệm vụ trùng lặp',
    message: 'Nhiệm vụ "{task}" trùng với nhiệm vụ ở dòng {otherRow} (giống {similarity}).',
    hint: 'Gộp hai nhiệm vụ hoặc xóa một dòng.',
  },
  'text.html': {
    title: 'Ô chứa mã HTML',
    message: 'Ô {cell} chứa thẻ HTML ({tags}).',
    hint: 'Bỏ các thẻ, giữ nguyên nội dung chữ.',
    fix: 'Bỏ thẻ HTML',
  },
  'text.legacy-encoding': {
    title: 'Phông chữ cũ (không phải Unicode)',
    message: 'Ô {cell} dùng bảng mã {encoding}: "{sample}".',
    hint: 'Chuyển sang Unicode: "{converted}".',
    fix: 'Chuyển sang Unicode',
  },
  'text.unnormalized': {
    title: 'Văn bản chưa chuẩn hóa',
    message: 'Ô {cell} có khoảng trắng thừa hoặc dấu tiếng Việt tổ hợp (NFD).',
    hint: 'Bỏ khoảng trắng thừa và dùng chữ có dấu dựng sẵn (Unicode NFC).',
    fix: 'Chuẩn hóa văn bản',
  },
  'cell.formula': {
    title: 'Ô chứa công thức',
    message: 'Ô {cell} chứa công thức ={formula}; giá trị được dùng là "{text}".',
    hint: 'Nên thay công thức bằng giá trị trước khi nộp.',
  },
  'cell.formula-text': {
    title: 'Nội dung giống công thức',
    message:
      'Ô {cell} bắt đầu bằng "{start}" ("{text}"): nếu dán sang bảng tính khác, nội dung này sẽ chạy như một công thức.',
    hint: 'Xóa ký tự "{start}" ở đầu ô, hoặc thêm dấu nháy đơn (\') phía trước để giữ nguyên là chữ.',
  },
  'cell.merged': {
    title: 'Ô gộp',
    message: 'Vùng {range} là ô gộp; nội dung được gán cho mọi dòng trong vùng.',
    hint: 'Nên bỏ gộp ô và ghi rõ nội dung từng dòng.',
  },
};
