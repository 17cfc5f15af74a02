// Task pane entry. Office.onReady gates start-up; outside Excel the pane says so and stops.
import { AddinController } from './controller.js';
import { environmentFromGlobals } from './excel/host.js';
import { MemoryStore, type KeyValueStore } from './api.js';
import { Pane } from './ui/pane.js';
import { bundledDirectory } from './directory.js';
import { loadSettings } from './settings.js';

declare global {
  interface Window {
    /** The fake host of the end-to-end tests exposes its sync counter here. */
    __fakeHost?: { syncCount: number };
    __phuluc?: { controller: AddinController; pane: Pane };
  }
}

const NOT_IN_EXCEL =
  'Phụ lục CCHC là phần bổ trợ của Excel. Hãy mở bảng phụ lục bằng Excel (trên máy tính hoặc Excel trên web) rồi bấm nút “Phụ lục CCHC” trên thẻ Trang đầu (Home).';

function localStore(): KeyValueStore {
  try {
    window.localStorage.setItem('phuluc.probe', '1');
    window.localStorage.removeItem('phuluc.probe');
    return window.localStorage;
  } catch {
    return new MemoryStore(); // storage blocked (private mode): the token lasts for this session
  }
}

function showOnly(id: 'app' | 'not-excel' | 'loading', text?: string): void {
  for (const x of ['app', 'not-excel', 'loading']) (document.getElementById(x) as HTMLElement).hidden = x !== id;
  // Outside Excel the block keeps its links (manifest, install guide, marked copy): only its message is set.
  const target = id === 'not-excel' ? 'not-excel-text' : id;
  if (text) (document.getElementById(target) as HTMLElement).textContent = text;
}

async function start(): Promise<void> {
  showOnly('app');
  const env = environmentFromGlobals(window as never);
  const local = localStore();
  const defaultServer = /^https?:$/.test(location.protocol) ? location.origin : '';
  const today = () => new Date().toISOString().slice(0, 10);
  let pane: Pane | undefined;
  const controller = new AddinController(env, {
    engineContext: () => {
      const s = loadSettings(env.settings, local, defaultServer);
      return { directory: bundledDirectory(), province: s.province || undefined };
    },
    notesDelayMs: 1500,
    syncCounter: window.__fakeHost ? () => window.__fakeHost!.syncCount : undefined,
    onReport: (report, stats) => pane?.showReport(report, stats),
    onError: (e) => pane?.error(e),
    onOfficerEdit: () => pane?.officerEdited(),
  });
  pane = new Pane({ root: document.getElementById('app') as HTMLElement, controller, local, defaultServer, today });
  pane.mount();
  window.__phuluc = { controller, pane };
  try {
    await controller.start();
  } catch (e) {
    pane.error(e);
  }
}

function boot(): void {
  const office = (window as unknown as { Office?: typeof Office }).Office;
  if (!office) {
    showOnly('not-excel', NOT_IN_EXCEL);
    return;
  }
  void office.onReady((info) => {
    if (info.host === office.HostType.Excel) void start();
    else showOnly('not-excel', NOT_IN_EXCEL);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
