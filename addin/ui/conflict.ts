// The per-task three-way comparison (base / mine / server) of a stale push, as a view model and as DOM:
// every task that changed on some side, its changed fields side by side, and the officer's choice per task
// (merge, keep mine, take theirs) or per conflicting field. Nothing is decided for the officer.
import type { MergeEntry, MergeField, MergeResult, MergeSide, MergeStatus, TaskChoice } from '../../engine/index.js';
import type { StaleBody } from '../api.js';
import { h } from './render.js';

export const FIELD_LABEL: Record<MergeField, string> = {
  task: 'Nhiệm vụ',
  section: 'Mục',
  products: 'Sản phẩm',
  lead: 'Cơ quan chủ trì',
  support: 'Cơ quan phối hợp',
  timeline: 'Thời gian',
  monitor: 'Theo dõi, đôn đốc',
  approval: 'Cấp phê duyệt',
  note: 'Ghi chú',
  extra: 'Cột khác',
};

export const STATUS_LABEL: Record<MergeStatus, string> = {
  unchanged: 'Không thay đổi',
  mine: 'Chỉ bạn sửa',
  theirs: 'Chỉ bản trên máy chủ sửa',
  'both-same': 'Hai bên sửa giống nhau',
  merged: 'Gộp được (hai bên sửa khác trường)',
  conflict: 'Xung đột: cần chọn',
  'added-mine': 'Bạn thêm mới',
  'added-theirs': 'Bản trên máy chủ thêm mới',
  'deleted-mine': 'Bạn đã xóa',
  'deleted-theirs': 'Bản trên máy chủ đã xóa',
  'delete-edit-conflict': 'Một bên xóa, một bên sửa: cần chọn',
};

export const SIDE_LABEL: Record<MergeSide, string> = { base: 'Bản gốc', mine: 'Của tôi', theirs: 'Máy chủ' };

export interface FieldRow {
  field: MergeField;
  label: string;
  base: string;
  mine: string;
  theirs: string;
  conflict: boolean;
}

export interface EntryView {
  key: string;
  title: string;
  number: string;
  status: MergeStatus;
  statusLabel: string;
  needsChoice: boolean;
  fields: FieldRow[];
}

/** The entries worth showing (every task some side changed), conflicts first, then in merged order. */
export function conflictView(merge: MergeResult): EntryView[] {
  const shown = merge.entries.filter((e) => e.status !== 'unchanged');
  const rows = shown.map((e): EntryView => ({
    key: e.key,
    title: e.title,
    number: e.at.mine?.number ?? e.at.theirs?.number ?? e.at.base?.number ?? '',
    status: e.status,
    statusLabel: STATUS_LABEL[e.status],
    needsChoice: e.needsChoice,
    fields: fieldRows(e),
  }));
  return [...rows.filter((r) => r.needsChoice), ...rows.filter((r) => !r.needsChoice)];
}

function fieldRows(e: MergeEntry): FieldRow[] {
  const out: FieldRow[] = [];
  for (const [f, v] of Object.entries(e.fields) as [MergeField, NonNullable<MergeEntry['fields'][MergeField]>][]) {
    const base = v.base ?? '';
    const mine = v.mine ?? '';
    const theirs = v.theirs ?? '';
    if (!v.conflict && base === mine && mine === theirs) continue;
    out.push({ field: f, label: FIELD_LABEL[f] ?? f, base, mine, theirs, conflict: v.conflict });
  }
  return out;
}

/** The officer's choices as read from the view: per entry 'auto' | 'mine' | 'theirs', per conflicting field a side. */
export function choicesFrom(
  view: EntryView[],
  picked: Record<string, { task?: 'auto' | 'mine' | 'theirs'; fields?: Partial<Record<MergeField, MergeSide>> }>,
): Record<string, TaskChoice> {
  const out: Record<string, TaskChoice> = {};
  for (const e of view) {
    const p = picked[e.key];
    if (!p) continue;
    if (p.task === 'mine' || p.task === 'theirs') out[e.key] = p.task;
    else if (p.fields && Object.keys(p.fields).length) out[e.key] = { fields: p.fields };
  }
  return out;
}

const show = (s: string) => (s === '' ? '(trống)' : s);

/** Renders the comparison; `onApply` gets the choices, `onCancel` closes it. */
export function renderConflict(
  stale: StaleBody,
  actions: { onApply: (choices: Record<string, TaskChoice>) => void; onCancel: () => void },
): HTMLElement {
  const view = conflictView(stale.merge);
  const need = view.filter((v) => v.needsChoice).length;
  const who = stale.latest?.by.displayName ?? 'một người khác';
  const list = h('div', { class: 'entries' });
  for (const e of view) {
    const name = `choice-${e.key}`;
    const radio = (value: string, label: string, checked: boolean) =>
      h('label', { class: 'pick' }, h('input', { type: 'radio', name, value, checked }), ` ${label}`);
    const table = e.fields.length
      ? h(
          'table',
          { class: 'fields' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Trường'),
              h('th', {}, SIDE_LABEL.base),
              h('th', {}, SIDE_LABEL.mine),
              h('th', {}, SIDE_LABEL.theirs),
            ),
          ),
          h(
            'tbody',
            {},
            ...e.fields.map((f) => {
              const select = f.conflict
                ? h(
                    'select',
                    { class: 'field-pick', 'data-field': f.field, 'aria-label': `Chọn giá trị cho ${f.label}` },
                    h('option', { value: '' }, '— chọn —'),
                    h('option', { value: 'mine' }, 'Của tôi'),
                    h('option', { value: 'theirs' }, 'Máy chủ'),
                    h('option', { value: 'base' }, 'Bản gốc'),
                  )
                : null;
              return h(
                'tr',
                { class: f.conflict ? 'conflict' : '' },
                h('th', {}, f.label, select ? h('br') : null, select),
                h('td', {}, show(f.base)),
                h('td', { class: 'mine' }, show(f.mine)),
                h('td', { class: 'theirs' }, show(f.theirs)),
              );
            }),
          ),
        )
      : null;
    list.append(
      h(
        'article',
        {
          class: `entry status-${e.status}${e.needsChoice ? ' needs' : ''}`,
          'data-key': e.key,
          'data-status': e.status,
        },
        h('h3', {}, `${e.number ? `${e.number}. ` : ''}${e.title}`),
        h('p', { class: 'badge' }, e.statusLabel),
        table,
        h(
          'div',
          { class: 'picks', role: 'radiogroup', 'aria-label': 'Cách giải quyết' },
          // Deleted on one side, edited on the other: there are no fields to pick, only a side.
          e.status === 'delete-edit-conflict'
            ? null
            : radio('auto', e.needsChoice ? 'Chọn từng trường' : 'Gộp tự động', true),
          radio('mine', 'Giữ bản của tôi', false),
          radio('theirs', 'Lấy bản trên máy chủ', false),
        ),
      ),
    );
  }
  const apply = h('button', { type: 'button', id: 'btn-merge-apply', class: 'primary' }, 'Áp dụng và gửi lại');
  const cancel = h('button', { type: 'button', id: 'btn-merge-cancel' }, 'Để sau');
  const root = h(
    'section',
    { id: 'conflict-view', class: 'conflict', 'aria-label': 'Đối chiếu ba bên' },
    h('h2', {}, `Đối chiếu với phiên bản ${stale.latestVersion} của ${who}`),
    h('p', {}, stale.error.message),
    h(
      'p',
      { class: 'summary' },
      `${need} nhiệm vụ cần bạn chọn; ${view.length - need} thay đổi khác được gộp tự động (có thể đổi lựa chọn).`,
    ),
    list,
    h('div', { class: 'actions' }, apply, cancel),
  );
  apply.addEventListener('click', () => {
    const picked: Parameters<typeof choicesFrom>[1] = {};
    for (const art of Array.from(list.querySelectorAll<HTMLElement>('article.entry'))) {
      const key = art.dataset.key!;
      const task = (art.querySelector('input[type=radio]:checked') as HTMLInputElement | null)?.value as
        'auto' | 'mine' | 'theirs' | undefined;
      const fields: Partial<Record<MergeField, MergeSide>> = {};
      for (const s of Array.from(art.querySelectorAll<HTMLSelectElement>('select.field-pick')))
        if (s.value) fields[s.dataset.field as MergeField] = s.value as MergeSide;
      picked[key] = { task, fields };
    }
    actions.onApply(choicesFrom(view, picked));
  });
  cancel.addEventListener('click', () => actions.onCancel());
  return root;
}
