// The task pane UI: issue list, fixes with preview, template, dropdowns, settings and submission.
import type { Diagnostic, Report, CellEdit } from '../../engine/index.js';
import type { AddinController, PassStats } from '../controller.js';
import { groupIssues, summaryText, describeEdit, describeError, h, SEVERITY_LABEL } from './render.js';
import {
  ApiClient,
  SubmitQueue,
  type KeyValueStore,
  type ReviewComment,
  type Round,
  type SubmitOutcome,
} from '../api.js';
import { SyncController, type PushOutcome, type StatusView } from '../sync/controller.js';
import { renderConflict } from './conflict.js';
import { checkServer, loadSettings, saveSettings, tokenFor, type PaneSettings } from '../settings.js';
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
  readonly sync: SyncController;

  constructor(private deps: PaneDeps) {
    const { controller, local, defaultServer } = deps;
    this.settings = loadSettings(controller.env.settings, local, defaultServer);
    // A queued submission goes to its own server with that server's token, never the current one's.
    this.queue = new SubmitQueue(local, (server) => new ApiClient({ server, token: tokenFor(local, server) }));
    this.queue.onChange = (items, last) => this.renderQueue(items.length, last);
    this.sync = new SyncController({
      controller,
      client: () => (this.settings.token ? this.client() : undefined),
      server: () => this.settings.server,
      roundId: () => (this.el.round as HTMLSelectElement | undefined)?.value || this.settings.roundId,
      queue: this.queue,
    });
  }

  /** The officer edited the sheet: the status turns "ahead" (or "diverged") at the first edit. */
  officerEdited(): void {
    const wasDirty = this.sync.state().dirty;
    this.sync.officerEdited();
    if (!wasDirty && this.sync.state().dirty) void this.refreshStatus().catch(() => undefined);
  }

  private client(): ApiClient | undefined {
    return this.settings.server
      ? new ApiClient({ server: this.settings.server, token: this.settings.token })
      : undefined;
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
      (this.el.status = h(
        'p',
        { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' },
        'Đang đọc bảng…',
      )),
      (this.el.summary = h('p', { id: 'summary', class: 'summary' })),
      (this.el.preview = h('section', { id: 'preview', class: 'preview', hidden: true })),
      (this.el.issues = h('section', { id: 'issues', class: 'issues', 'aria-label': 'Danh sách vấn đề' })),
      this.submitPanel(),
    );
    this.renderQueue(this.queue.items().length);
    this.queue.startRetrying(30_000, window);
    if (this.queue.items().length) void this.queue.flush();
    // A colleague may submit at any time: the status is asked again every minute (and after every action).
    if (this.settings.server && this.settings.token && this.settings.roundId)
      void this.refreshStatus().catch(() => undefined);
    setInterval(() => {
      if (this.settings.server && this.settings.token) void this.refreshStatus().catch(() => undefined);
    }, 60_000);
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
            h(
              'div',
              { class: 'section' },
              h('h3', {}, s.title),
              h('ul', {}, ...s.issues.map((d) => this.issueItem(d))),
            ),
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
    cellBtn.addEventListener(
      'click',
      () =>
        void this.guard(() =>
          this.deps.controller.selectCell(d.location.sheet, d.location.cell ?? `A${d.location.row}`),
        ),
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
      b.addEventListener(
        'click',
        () =>
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
                .map(
                  (s) =>
                    `${s.edit.cell} (${s.reason === 'stale' ? 'ô đã đổi từ lần kiểm tra trước' : 'trùng ô với sửa khác'})`,
                )
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

  /** The plan year of the chosen round, when rounds are loaded. */
  private roundYear(): number | undefined {
    const id = (this.el.round as HTMLSelectElement | undefined)?.value || this.settings.roundId;
    return this.rounds.find((r) => r.id === id)?.year;
  }

  async insertTemplate(): Promise<void> {
    const c = this.deps.controller;
    // A new annex is for the round the officer works on; without one, for the sheet's (or next) year.
    const year = this.roundYear() ?? this.year();
    const inserted = await c.runExclusive(() => insertTemplate(c.env.excel, year));
    const dir = await loadDirectory(this.client(), this.settings.province, `${year}-01-01`);
    const cols = inserted.layout.columns.filter((x) => x.list === 'agencies').map((x) => x.index);
    const taskCol = inserted.layout.columns.find((x) => x.field === 'task')?.index;
    if (dir.agencies.length) {
      await c.runExclusive(() =>
        applyDropdowns(
          c.env.excel,
          {
            sheetName: inserted.sheetName,
            agencyColumns: cols,
            sectionColumn: taskCol,
            sectionRows: inserted.layout.sections.map((s) => s.row),
            firstRow: inserted.layout.firstDataRow,
            lastRow: inserted.layout.validationLastRow,
          },
          dir.agencies,
          dir.sections,
        ),
      );
    }
    await c.validateAll();
    this.status(
      `Đã chèn mẫu vào trang “${inserted.sheetName}”.` +
        (dir.agencies.length ? '' : ' Chọn tỉnh trong phần Nộp phụ lục để có danh sách cơ quan.'),
      'ok',
    );
  }

  async addDropdowns(): Promise<void> {
    const c = this.deps.controller;
    const report = c.report;
    const snap = c.snapshot;
    const headerRow = report?.meta.headerRow;
    if (!report || !snap || !headerRow)
      throw new Error('Chưa tìm thấy bảng phụ lục trên trang này; hãy chèn mẫu hoặc kiểm tra lại.');
    const columns = report.meta.columns ?? [];
    const agencyColumns = columns
      .filter((x) => x.field === 'lead' || x.field === 'support' || x.field === 'monitor')
      .map((x) => x.index);
    if (!agencyColumns.length) throw new Error('Bảng không có cột cơ quan chủ trì/phối hợp để gắn danh sách chọn.');
    const dir = await loadDirectory(this.client(), this.settings.province, this.planDate());
    if (!dir.agencies.length)
      throw new Error('Chưa có danh mục cơ quan: chọn tỉnh trong phần “Nộp phụ lục” rồi thử lại.');
    const lastRow = Math.max(...snap.grid.rows.map((r) => r.index), headerRow + 1) + 100;
    const r = await c.runExclusive(() =>
      applyDropdowns(
        c.env.excel,
        {
          sheetName: snap.sheetName,
          agencyColumns,
          sectionColumn: columns.find((x) => x.field === 'task')?.index,
          sectionRows: report.sections.map((s) => s.source.row),
          firstRow: headerRow + 1,
          lastRow,
        },
        dir.agencies,
        dir.sections,
      ),
    );
    this.status(
      `Đã gắn danh sách chọn (${dir.agencies.length} cơ quan, nguồn: ${dir.source === 'server' ? 'máy chủ' : 'dữ liệu kèm theo'}) cho ${r.cells} ô.`,
      'ok',
    );
  }

  async clearMarks(): Promise<void> {
    const r = await this.deps.controller.clearMarks();
    this.status(
      `Đã xóa ${r.formats} lớp tô màu và ${r.notes} ghi chú của Phụ lục; định dạng của bạn được giữ nguyên.`,
      'ok',
    );
  }

  // --- settings and submission ----------------------------------------------------------------

  private submitPanel(): HTMLElement {
    const server = h('input', {
      id: 'in-server',
      type: 'url',
      value: this.settings.server,
      placeholder: 'https://phuluc.tinh.gov.vn',
      autocomplete: 'url',
    }) as HTMLInputElement;
    const token = h('input', {
      id: 'in-token',
      type: 'password',
      value: this.settings.token,
      placeholder: 'Mã truy cập của cơ quan',
      autocomplete: 'off',
    }) as HTMLInputElement;
    // Another address shows that address's own token (empty until the officer saves one for it).
    server.addEventListener('change', () => {
      const checked = checkServer(server.value);
      if (checked.ok) token.value = tokenFor(this.deps.local, checked.value);
    });
    const province = h(
      'select',
      { id: 'in-province' },
      h('option', { value: '' }, '— Chọn tỉnh/thành phố —'),
    ) as HTMLSelectElement;
    for (const p of [...provinces].sort((a, b) => a.name.localeCompare(b.name, 'vi'))) {
      // Provinces merged away in 2025 stay selectable (older plans) but say where they went.
      const label = p.validTo ? `${p.name} (đến ${formatDate(p.validTo)})` : p.name;
      province.append(h('option', { value: p.id, selected: p.id === this.settings.province }, label));
    }
    const round = h(
      'select',
      { id: 'in-round' },
      h('option', { value: '' }, '— Chưa tải đợt nộp —'),
    ) as HTMLSelectElement;
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
    const pull = this.button('pull', 'Nhận nhiệm vụ được giao', () => this.pull());
    const comments = this.button('comments', 'Ý kiến thẩm định', () => this.refreshComments());
    const status = this.button('sync-status', 'Trạng thái', () => this.refreshStatus());
    round.addEventListener('change', () => void this.refreshStatus().catch(() => undefined));
    this.el.syncStatus = h(
      'div',
      { id: 'sync-status', class: 'sync-status', role: 'status', 'aria-live': 'polite' },
      'Chưa kiểm tra trạng thái đồng bộ.',
    );
    this.el.conflict = h('div', { id: 'conflict', hidden: true });
    this.el.comments = h('div', { id: 'comment-list' });
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
      this.el.syncStatus,
      h('div', { class: 'actions' }, submit, pull),
      h('div', { class: 'actions' }, comments, status),
      this.el.result,
      this.el.conflict,
      this.el.comments,
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
        h(
          'option',
          { value: r.id, selected: r.id === this.settings.roundId },
          `${r.title}${r.deadline ? ` (hạn ${formatDate(r.deadline)})` : ''}${r.locked ? ' — đã khóa' : ''}`,
        ),
      ),
    );
    if (!this.rounds.some((r) => r.id === this.settings.roundId) && this.rounds.length === 1) {
      round.value = this.rounds[0].id;
      this.settings.roundId = round.value;
      saveSettings(this.deps.controller.env.settings, this.deps.local, { roundId: round.value });
    }
    this.status(`Đã tải ${this.rounds.length} đợt nộp.`, 'ok');
    await this.refreshStatus();
    // A workbook that was submitted before gets the reviewer's open comments as notes right away.
    if (this.sync.state().submissionId) await this.refreshComments().catch(() => undefined);
    return this.rounds;
  }

  private checkConnection(): string {
    const roundId = (this.el.round as HTMLSelectElement).value || this.settings.roundId;
    if (!this.settings.server) throw new Error('Chưa nhập địa chỉ máy chủ (phần “Nộp phụ lục”).');
    if (!this.settings.token) throw new Error('Chưa nhập mã truy cập của cơ quan.');
    if (!roundId) throw new Error('Chưa chọn đợt nộp: bấm “Tải đợt nộp” rồi chọn một đợt.');
    return roundId;
  }

  /** "Nộp phụ lục": a push that names the version the sheet was edited from. */
  async submit(): Promise<PushOutcome> {
    this.checkConnection();
    this.el.result.className = 'result';
    this.el.result.textContent = 'Đang nộp…';
    const outcome = await this.sync.push();
    this.showPush(outcome);
    await this.refreshStatus().catch(() => undefined);
    return outcome;
  }

  private showPush(o: PushOutcome): void {
    const el = this.el.result;
    if (o.kind === 'stored') {
      this.showOutcome({ kind: 'sent', result: o.result });
      if (o.idsWritten)
        el.append(h('p', { class: 'muted' }, `Đã ghi mã nhiệm vụ cho ${o.idsWritten} dòng (cột ẩn “Mã nhiệm vụ”).`));
      this.closeConflict();
    } else if (o.kind === 'queued') {
      this.showOutcome({ kind: 'queued', reason: o.reason, item: this.queue.items().at(-1)! });
    } else if (o.kind === 'rejected') {
      this.showOutcome({ kind: 'rejected', error: o.error });
    } else {
      el.className = 'result warn';
      el.replaceChildren(
        h('p', {}, 'Máy chủ đã có phiên bản mới hơn: chưa nộp, không có gì bị ghi đè. Hãy đối chiếu bên dưới.'),
      );
      this.openConflict();
    }
  }

  private openConflict(): void {
    const stale = this.sync.conflict;
    if (!stale) return;
    const view = renderConflict(stale, {
      onApply: (choices) =>
        void this.guard(async () => {
          this.status('Đang ghi bản đã gộp vào bảng và gửi lại…');
          const out = await this.sync.resolve(choices);
          this.showPush(out);
          if (out.kind === 'stored') this.status(`Đã gộp và nộp phiên bản ${out.result.version}.`, 'ok');
          await this.refreshStatus().catch(() => undefined);
        }),
      onCancel: () => this.closeConflict(),
    });
    this.el.conflict.replaceChildren(view);
    this.el.conflict.hidden = false;
  }

  private closeConflict(): void {
    this.el.conflict.hidden = true;
    this.el.conflict.replaceChildren();
  }

  /** "Nhận nhiệm vụ được giao". */
  async pull(): Promise<void> {
    this.checkConnection();
    this.status('Đang nhận nhiệm vụ được giao…');
    const r = await this.sync.pull();
    const parts = [`Đã chèn ${r.inserted} nhiệm vụ được giao vào trang “${r.sheet}”`];
    if (r.linked) parts.push(`${r.linked} nhiệm vụ đã có trong bảng được gắn mã`);
    if (r.present) parts.push(`${r.present} nhiệm vụ đã có sẵn`);
    if (r.renumbered) parts.push(`đánh số lại ${r.renumbered} nhiệm vụ`);
    this.status(
      r.total
        ? `${parts.join('; ')}. Hãy bổ sung sản phẩm và thời gian cho các dòng tô xanh.`
        : 'Kế hoạch của tỉnh không giao nhiệm vụ nào cho cơ quan của bạn.',
      'ok',
    );
    await this.refreshStatus().catch(() => undefined);
  }

  /** Shows whether the sheet is in sync with the server, and since when. */
  async refreshStatus(): Promise<StatusView | undefined> {
    if (!this.el.syncStatus) return undefined;
    const roundId = (this.el.round as HTMLSelectElement).value || this.settings.roundId;
    if (!roundId) return undefined;
    let v: StatusView;
    try {
      v = await this.sync.status();
    } catch (e) {
      // Shown where the status goes, not over the result of the action the officer just took.
      this.el.syncStatus.textContent = `Không lấy được trạng thái đồng bộ: ${describeError(e)}`;
      this.el.syncStatus.className = 'sync-status';
      delete this.el.syncStatus.dataset.state;
      return undefined;
    }
    const lines: (HTMLElement | string)[] = [h('span', { class: 'state' }, v.label)];
    const base = v.baseVersion ? `Bản trong tệp dựa trên phiên bản ${v.baseVersion}` : 'Bảng chưa được nộp lần nào';
    lines.push(
      h('br'),
      v.latestVersion !== undefined ? `${base}; máy chủ có phiên bản ${v.latestVersion}.` : `${base}.`,
    );
    if (v.lastSyncedAt) lines.push(h('br'), `Đồng bộ lần cuối: ${formatDateTime(v.lastSyncedAt)}.`);
    if (v.newer.length)
      lines.push(
        h('br'),
        `Phiên bản mới hơn: ${v.newer.map((n) => `${n.version} (${n.by}, ${formatDateTime(n.at)})`).join('; ')}.`,
      );
    if (v.offline) lines.push(h('br'), 'Chưa liên lạc được máy chủ: trạng thái theo dữ liệu trong tệp.');
    this.el.syncStatus.replaceChildren(...lines);
    this.el.syncStatus.className = `sync-status ${v.state}`;
    this.el.syncStatus.dataset.state = v.state;
    return v;
  }

  /** Reviewer comments as notes on the rows they concern; the list with "Đã xử lý". */
  async refreshComments(): Promise<void> {
    this.checkConnection();
    const r = await this.sync.refreshComments();
    const open = r.comments.filter((c) => !c.resolved);
    const item = (c: ReviewComment) => {
      const li = h(
        'li',
        { class: c.resolved ? 'resolved' : '', 'data-comment': c.id },
        `${c.taskNumber ? `Nhiệm vụ ${c.taskNumber}: ` : ''}${c.text} — ${c.author}`,
      );
      if (!c.resolved) {
        const b = h('button', { type: 'button', class: 'resolve' }, 'Đã xử lý');
        b.addEventListener(
          'click',
          () =>
            void this.guard(async () => {
              await this.sync.resolveComment(c.id);
              await this.refreshComments();
            }),
        );
        li.append(' ', b);
      }
      return li;
    };
    this.el.comments.replaceChildren(
      ...(r.comments.length
        ? [h('h3', {}, 'Ý kiến thẩm định'), h('ul', { class: 'comments' }, ...r.comments.map(item))]
        : []),
    );
    const extra = [
      r.skipped.length ? `${r.skipped.length} ô đã có ghi chú của bạn nên không ghi đè` : '',
      r.unplaced.length ? `${r.unplaced.length} ý kiến chung (không gắn với dòng nào)` : '',
    ]
      .filter(Boolean)
      .join('; ');
    this.status(
      r.comments.length
        ? `Có ${open.length} ý kiến chưa xử lý: đã ghi ${r.shown} ghi chú vào bảng, xóa ${r.cleared} ghi chú của ý kiến đã xử lý${extra ? `; ${extra}` : ''}.`
        : 'Chưa có ý kiến thẩm định nào.',
      'ok',
    );
  }

  private showOutcome(o: SubmitOutcome): void {
    const el = this.el.result;
    if (o.kind === 'sent') {
      const r = o.result;
      const stats = r.report?.stats;
      el.className = 'result ok';
      el.replaceChildren(
        ...nodes(
          h(
            'p',
            {},
            r.duplicate
              ? `Nội dung không đổi so với phiên bản ${r.version}: không tạo phiên bản mới.`
              : `Đã nộp thành công: phiên bản ${r.version}.`,
          ),
          stats
            ? h('p', {}, `Máy chủ kiểm tra: ${stats.errors} lỗi, ${stats.warnings} cảnh báo, ${stats.tasks} nhiệm vụ.`)
            : null,
          h('p', { class: 'muted' }, `Mã bài nộp: ${r.submissionId} · trạng thái: ${statusLabel(r.status)}`),
        ),
      );
    } else if (o.kind === 'queued') {
      el.className = 'result warn';
      el.replaceChildren(
        h('p', {}, 'Không kết nối được máy chủ. Bài nộp đã được lưu và sẽ tự gửi lại khi có kết nối.'),
        h('p', { class: 'muted' }, o.reason),
      );
    } else {
      el.className = 'result error';
      const where = o.error.where?.cell
        ? ` (ô ${o.error.where.cell}${o.error.where.sheet ? `, trang ${o.error.where.sheet}` : ''})`
        : '';
      el.replaceChildren(h('p', {}, `Máy chủ từ chối bài nộp: ${o.error.message}${where}`));
    }
  }

  private renderQueue(n: number, last?: SubmitOutcome): void {
    if (!this.el.queue) return;
    this.el.queue.textContent = n ? `${n} bài nộp đang chờ gửi lại (tự thử lại mỗi 30 giây).` : '';
    if (!last || last.kind === 'queued') return;
    const item = last.item;
    if (item && item.baseVersion !== undefined) {
      // A sync push that waited offline: ids, base version and conflicts are handled as for a direct push.
      void this.guard(async () => {
        this.showPush(await this.sync.settle(item.roundId, last, item.grids));
        await this.refreshStatus().catch(() => undefined);
      });
    } else this.showOutcome(last);
  }
}

function nodes(...xs: (HTMLElement | null)[]): HTMLElement[] {
  return xs.filter((x): x is HTMLElement => x !== null);
}

function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())} ${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()}`;
}

function statusLabel(s: string): string {
  return (
    (
      { submitted: 'đã nộp', returned: 'bị trả lại', accepted: 'đã chấp nhận', missing: 'chưa nộp' } as Record<
        string,
        string
      >
    )[s] ?? s
  );
}
