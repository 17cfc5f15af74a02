// The task pane UI: issue list, fixes with preview, template, dropdowns, settings and submission.
import type { Diagnostic, Report, CellEdit } from '../../engine/model.js';
import type { AddinController, PassStats } from '../controller.js';
import { groupIssues, summaryText, describeEdit, describeError, h, SEVERITY_LABEL } from './render.js';
import { ApiClient, SubmitQueue, type KeyValueStore, type Round, type SubmitOutcome } from '../api.js';
import { checkServer, loadSettings, saveSettings, type PaneSettings } from '../settings.js';
import { insertTemplate } from '../excel/template.js';
import { applyDropdowns } from '../excel/dropdowns.js';
import { loadDirectory } from '../directory.js';
import { provinces } from '../../data/index.js';

export interface PaneDeps {
  root: HTMLElement;
  controller: AddinController;
  local: KeyValueStore;
  defaultServer: string;
  today: () => string;
}

export class Pane {
  private settings: PaneSettings;
  private queue: SubmitQueue;
  private rounds: Round[] = [];
  private pendingPlan: CellEdit[] = [];
  private el: Record<string, HTMLElement> = {};

  constructor(private deps: PaneDeps) {
    const { controller, local, defaultServer } = deps;
    this.settings = loadSettings(controller.env.settings, local, defaultServer);
    this.queue = new SubmitQueue(local, (server) => new ApiClient({ server, token: this.settings.token }));
    this.queue.onChange = (items, last) => this.renderQueue(items.length, last);
  }

  private client(): ApiClient | undefined {
    return this.settings.server ? new ApiClient({ server: this.settings.server, token: this.settings.token }) : undefined;
  }

  mount(): void {
    const root = this.deps.root;
    root.replaceChildren(
      h(
        'nav',
        { class: 'toolbar', 'aria-label': 'Thao tác' },
        this.button('check', 'Kiểm tra lại', () => this.recheck()),
        this.button('normalize', 'Chuẩn hóa', () => this.previewAll()),
        this.button('template', 'Chèn mẫu phụ lục', () => this.insertTemplate()),
        this.button('dropdowns', 'Danh sách chọn', () => this.addDropdowns()),
        this.button('clear', 'Xóa đánh dấu', () => this.clearMarks()),
      ),
      (this.el.status = h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }, 'Đang đọc bảng…')),
      (this.el.summary = h('p', { id: 'summary', class: 'summary' })),
      (this.el.preview = h('section', { id: 'preview', class: 'preview', hidden: true })),
      (this.el.issues = h('section', { id: 'issues', class: 'issues', 'aria-label': 'Danh sách vấn đề' })),
      this.submitPanel(),
    );
    this.renderQueue(this.queue.items().length);
    this.queue.startRetrying(30_000, window);
    if (this.queue.items().length) void this.queue.flush();
  }

  private button(id: string, label: string, onClick: () => unknown, cls = ''): HTMLElement {
    const b = h('button', { id: `btn-${id}`, type: 'button', class: cls || undefined }, label);
    b.addEventListener('click', () => void this.guard(onClick));
    return b;
  }

  /** Runs an action; any failure is shown in the status line in Vietnamese, never swallowed. */
  private async guard(fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.error(e);
    }
  }

  error(e: unknown): void {
    this.status(`Lỗi: ${describeError(e)}`, 'error');
  }

  status(text: string, kind: 'info' | 'error' | 'ok' = 'info'): void {
    this.el.status.textContent = text;
    this.el.status.className = `status ${kind}`;
  }

  // --- issues --------------------------------------------------------------------------------

  showReport(report: Report, stats?: PassStats): void {
    this.el.summary.textContent = summaryText(report);
    const groups = groupIssues(report);
    const fixable = report.diagnostics.filter((d) => d.fix?.edits.length).length;
    (document.getElementById('btn-normalize') as HTMLButtonElement).disabled = fixable === 0;
    this.el.issues.replaceChildren(
      ...groups.map((g) =>
        h(
          'details',
          { class: `group sev-${g.severity}`, open: g.severity !== 'info' },
          h('summary', {}, `${g.label} (${g.count})`),
          ...g.sections.map((s) =>
            h('div', { class: 'section' }, h('h3', {}, s.title), h('ul', {}, ...s.issues.map((d) => this.issueItem(d)))),
          ),
        ),
      ),
    );
    if (stats) {
      const sheet = this.deps.controller.snapshot?.sheetName ?? '';
      this.status(`Đã kiểm tra trang “${sheet}” (${stats.rows} dòng).`, 'ok');
    }
  }

  private issueItem(d: Diagnostic): HTMLElement {
    const where = d.location.cell ?? `dòng ${d.location.row}`;
    const cellBtn = h('button', { type: 'button', class: 'cell', title: 'Chọn ô này trong bảng' }, where);
    cellBtn.addEventListener('click', () =>
      void this.guard(() => this.deps.controller.selectCell(d.location.sheet, d.location.cell ?? `A${d.location.row}`)),
    );
    const li = h(
      'li',
      { class: `issue sev-${d.severity}`, 'data-code': d.code, 'data-cell': d.location.cell },
      h('div', { class: 'head' }, cellBtn, h('span', { class: 'sev' }, SEVERITY_LABEL[d.severity])),
      h('p', { class: 'msg' }, d.message),
      d.hint ? h('p', { class: 'hint' }, d.hint) : null,
    );
    if (d.fix?.edits.length) {
      const fix = d.fix;
      const b = h('button', { type: 'button', class: 'fix' }, `Sửa: ${fix.label}`);
      b.addEventListener('click', () =>
        void this.guard(async () => {
          const plan = this.deps.controller.planFixes([fix]);
          if (!plan.edits.length) {
            this.status('Ô đã thay đổi từ lần kiểm tra trước; bấm “Kiểm tra lại”.', 'error');
            return;
          }
          await this.deps.controller.applyEdits(plan.edits);
          this.status(`Đã sửa ${plan.edits.map((e) => e.cell).join(', ')}.`, 'ok');
        }),
      );
      li.append(b);
    }
    return li;
  }

  async recheck(): Promise<void> {
    this.status('Đang kiểm tra…');
    await this.deps.controller.validateAll();
  }

  // --- "Chuẩn hóa": preview, then one batch ----------------------------------------------------

  previewAll(): void {
    const c = this.deps.controller;
    const plan = c.planFixes(c.allFixes());
    this.pendingPlan = plan.edits;
    const apply = this.button('apply', `Áp dụng ${plan.edits.length} thay đổi`, () => this.applyPlan(), 'primary');
    const cancel = this.button('cancel', 'Hủy', () => this.closePreview());
    (apply as HTMLButtonElement).disabled = plan.edits.length === 0;
    this.el.preview.replaceChildren(
      ...nodes(
      h('h2', {}, 'Chuẩn hóa: xem trước các thay đổi'),
      plan.edits.length
        ? h('ol', { class: 'edits' }, ...plan.edits.map((e) => h('li', {}, describeEdit(e))))
        : h('p', {}, 'Không có thay đổi nào có thể tự động áp dụng.'),
      plan.skipped.length
        ? h(
            'p',
            { class: 'skipped' },
            `Bỏ qua ${plan.skipped.length} thay đổi: ${plan.skipped
              .map((s) => `${s.edit.cell} (${s.reason === 'stale' ? 'ô đã đổi từ lần kiểm tra trước' : 'trùng ô với sửa khác'})`)
              .join(', ')}.`,
          )
        : null,
      h('div', { class: 'actions' }, apply, cancel),
      ),
    );
    this.el.preview.hidden = false;
  }

  private closePreview(): void {
    this.pendingPlan = [];
    this.el.preview.hidden = true;
    this.el.preview.replaceChildren();
  }

  private async applyPlan(): Promise<void> {
    const edits = this.pendingPlan;
    this.closePreview();
    if (!edits.length) return;
    await this.deps.controller.applyEdits(edits);
    this.status(`Đã chuẩn hóa ${edits.length} ô trong một lần (Ctrl+Z để hoàn tác).`, 'ok');
  }

  // --- template, dropdowns, marks -------------------------------------------------------------

  /** The date agency names are looked up at: 1 January of the plan year, else today. */
  private planDate(): string {
    const y = this.deps.controller.report?.meta.planYear;
    return y ? `${y}-01-01` : this.deps.today();
  }

  private year(): number {
    return this.deps.controller.report?.meta.planYear ?? Number(this.deps.today().slice(0, 4)) + 1;
  }

  async insertTemplate(): Promise<void> {
    const c = this.deps.controller;
    const inserted = await c.runExclusive(() => insertTemplate(c.env.excel, this.year()));
    const dir = await loadDirectory(this.client(), this.settings.province, `${this.year()}-01-01`);
    const cols = inserted.layout.columns.filter((x) => x.list === 'agencies').map((x) => x.index);
    const taskCol = inserted.layout.columns.find((x) => x.field === 'task')?.index;
    if (dir.agencies.length) {
      await c.runExclusive(() =>
        applyDropdowns(c.env.excel, {
          sheetName: inserted.sheetName,
          agencyColumns: cols,
          sectionColumn: taskCol,
          sectionRows: inserted.layout.sections.map((s) => s.row),
          firstRow: inserted.layout.firstDataRow,
          lastRow: inserted.layout.validationLastRow,
        }, dir.agencies, dir.sections),
      );
    }
    await c.validateAll();
    this.status(
      `Đã chèn mẫu vào trang “${inserted.sheetName}”.` + (dir.agencies.length ? '' : ' Chọn tỉnh trong phần Nộp phụ lục để có danh sách cơ quan.'),
      'ok',
    );
  }

  async addDropdowns(): Promise<void> {
    const c = this.deps.controller;
    const report = c.report;
    const snap = c.snapshot;
    const headerRow = report?.meta.headerRow;
    if (!report || !snap || !headerRow) throw new Error('Chưa tìm thấy bảng phụ lục trên trang này; hãy chèn mẫu hoặc kiểm tra lại.');
    const columns = report.meta.columns ?? [];
    const agencyColumns = columns.filter((x) => x.field === 'lead' || x.field === 'support' || x.field === 'monitor').map((x) => x.index);
    if (!agencyColumns.length) throw new Error('Bảng không có cột cơ quan chủ trì/phối hợp để gắn danh sách chọn.');
    const dir = await loadDirectory(this.client(), this.settings.province, this.planDate());
    if (!dir.agencies.length) throw new Error('Chưa có danh mục cơ quan: chọn tỉnh trong phần “Nộp phụ lục” rồi thử lại.');
    const lastRow = Math.max(...snap.grid.rows.map((r) => r.index), headerRow + 1) + 100;
    const r = await c.runExclusive(() =>
      applyDropdowns(c.env.excel, {
        sheetName: snap.sheetName,
        agencyColumns,
        sectionColumn: columns.find((x) => x.field === 'task')?.index,
        sectionRows: report.sections.map((s) => s.source.row),
        firstRow: headerRow + 1,
        lastRow,
      }, dir.agencies, dir.sections),
    );
    this.status(`Đã gắn danh sách chọn (${dir.agencies.length} cơ quan, nguồn: ${dir.source === 'server' ? 'máy chủ' : 'dữ liệu kèm theo'}) cho ${r.cells} ô.`, 'ok');
  }

  async clearMarks(): Promise<void> {
    const r = await this.deps.controller.clearMarks();
    this.status(`Đã xóa ${r.formats} lớp tô màu và ${r.notes} ghi chú của Phụ lục; định dạng của bạn được giữ nguyên.`, 'ok');
  }

  // --- settings and submission ----------------------------------------------------------------

  private submitPanel(): HTMLElement {
    const server = h('input', { id: 'in-server', type: 'url', value: this.settings.server, placeholder: 'https://phuluc.tinh.gov.vn', autocomplete: 'url' }) as HTMLInputElement;
    const token = h('input', { id: 'in-token', type: 'password', value: this.settings.token, placeholder: 'Mã truy cập của cơ quan', autocomplete: 'off' }) as HTMLInputElement;
    const province = h('select', { id: 'in-province' }, h('option', { value: '' }, '— Chọn tỉnh/thành phố —')) as HTMLSelectElement;
    for (const p of [...provinces].sort((a, b) => a.name.localeCompare(b.name, 'vi'))) {
      // Provinces merged away in 2025 stay selectable (older plans) but say where they went.
      const label = p.validTo ? `${p.name} (đến ${formatDate(p.validTo)})` : p.name;
      province.append(h('option', { value: p.id, selected: p.id === this.settings.province }, label));
    }
    const round = h('select', { id: 'in-round' }, h('option', { value: '' }, '— Chưa tải đợt nộp —')) as HTMLSelectElement;
    round.addEventListener('change', () => {
      this.settings.roundId = round.value;
      saveSettings(this.deps.controller.env.settings, this.deps.local, { roundId: round.value });
    });
    const save = this.button('save-settings', 'Lưu', async () => {
      const checked = checkServer(server.value);
      if (!checked.ok) throw new Error(checked.error);
      this.settings = { ...this.settings, server: checked.value, token: token.value.trim(), province: province.value };
      saveSettings(this.deps.controller.env.settings, this.deps.local, this.settings);
      this.status('Đã lưu cài đặt.', 'ok');
      await this.loadRounds();
    });
    const load = this.button('load-rounds', 'Tải đợt nộp', () => this.loadRounds());
    const submit = this.button('submit', 'Nộp phụ lục', () => this.submit(), 'primary');
    this.el.round = round;
    this.el.result = h('div', { id: 'submit-result', class: 'result', role: 'status', 'aria-live': 'polite' });
    this.el.queue = h('p', { id: 'queue-status', class: 'queue' });
    return h(
      'details',
      { id: 'submit-panel', class: 'submit', open: true },
      h('summary', {}, 'Nộp phụ lục'),
      h('label', {}, 'Địa chỉ máy chủ', server),
      h('label', {}, 'Mã truy cập (token) của cơ quan', token),
      h('label', {}, 'Tỉnh/thành phố', province),
      h('div', { class: 'actions' }, save, load),
      h('label', {}, 'Đợt nộp', round),
      h('div', { class: 'actions' }, submit),
      this.el.result,
      this.el.queue,
    );
  }

  async loadRounds(): Promise<Round[]> {
    const client = this.client();
    if (!client) throw new Error('Chưa nhập địa chỉ máy chủ.');
    if (!this.settings.token) throw new Error('Chưa nhập mã truy cập của cơ quan.');
    this.rounds = await client.rounds();
    const round = this.el.round as HTMLSelectElement;
    round.replaceChildren(
      h('option', { value: '' }, this.rounds.length ? '— Chọn đợt nộp —' : '— Không có đợt nộp nào đang mở —'),
      ...this.rounds.map((r) =>
        h('option', { value: r.id, selected: r.id === this.settings.roundId }, `${r.title}${r.deadline ? ` (hạn ${formatDate(r.deadline)})` : ''}${r.locked ? ' — đã khóa' : ''}`),
      ),
    );
    if (!this.rounds.some((r) => r.id === this.settings.roundId) && this.rounds.length === 1) {
      round.value = this.rounds[0].id;
      this.settings.roundId = round.value;
      saveSettings(this.deps.controller.env.settings, this.deps.local, { roundId: round.value });
    }
    this.status(`Đã tải ${this.rounds.length} đợt nộp.`, 'ok');
    return this.rounds;
  }

  async submit(): Promise<SubmitOutcome> {
    const roundId = (this.el.round as HTMLSelectElement).value || this.settings.roundId;
    if (!this.settings.server) throw new Error('Chưa nhập địa chỉ máy chủ (phần “Nộp phụ lục”).');
    if (!this.settings.token) throw new Error('Chưa nhập mã truy cập của cơ quan.');
    if (!roundId) throw new Error('Chưa chọn đợt nộp: bấm “Tải đợt nộp” rồi chọn một đợt.');
    const grids = await this.deps.controller.currentGrids();
    if (!grids.length) throw new Error('Chưa đọc được bảng nào để nộp.');
    this.el.result.textContent = 'Đang nộp…';
    const title = this.rounds.find((r) => r.id === roundId)?.title;
    const outcome = await this.queue.submit(this.settings.server, roundId, grids, title);
    this.showOutcome(outcome);
    return outcome;
  }

  private showOutcome(o: SubmitOutcome): void {
    const el = this.el.result;
    if (o.kind === 'sent') {
      const r = o.result;
      const stats = r.report?.stats;
      el.className = 'result ok';
      el.replaceChildren(
        ...nodes(
        h('p', {}, r.duplicate ? `Nội dung không đổi so với phiên bản ${r.version}: không tạo phiên bản mới.` : `Đã nộp thành công: phiên bản ${r.version}.`),
        stats ? h('p', {}, `Máy chủ kiểm tra: ${stats.errors} lỗi, ${stats.warnings} cảnh báo, ${stats.tasks} nhiệm vụ.`) : null,
        h('p', { class: 'muted' }, `Mã bài nộp: ${r.submissionId} · trạng thái: ${statusLabel(r.status)}`),
        ),
      );
    } else if (o.kind === 'queued') {
      el.className = 'result warn';
      el.replaceChildren(h('p', {}, 'Không kết nối được máy chủ. Bài nộp đã được lưu và sẽ tự gửi lại khi có kết nối.'), h('p', { class: 'muted' }, o.reason));
    } else {
      el.className = 'result error';
      const where = o.error.where?.cell ? ` (ô ${o.error.where.cell}${o.error.where.sheet ? `, trang ${o.error.where.sheet}` : ''})` : '';
      el.replaceChildren(h('p', {}, `Máy chủ từ chối bài nộp: ${o.error.message}${where}`));
    }
  }

  private renderQueue(n: number, last?: SubmitOutcome): void {
    if (!this.el.queue) return;
    this.el.queue.textContent = n ? `${n} bài nộp đang chờ gửi lại (tự thử lại mỗi 30 giây).` : '';
    if (last && last.kind !== 'queued') this.showOutcome(last);
  }
}

function nodes(...xs: (HTMLElement | null)[]): HTMLElement[] {
  return xs.filter((x): x is HTMLElement => x !== null);
}

function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

function statusLabel(s: string): string {
  return ({ submitted: 'đã nộp', returned: 'bị trả lại', accepted: 'đã chấp nhận', missing: 'chưa nộp' } as Record<string, string>)[s] ?? s;
}
