// Functions Apps Script must see as top-level functions: triggers, menu items and google.script.run targets.
// The build declares one global function per name that forwards to the bundle.
export const GLOBAL_FUNCTIONS = [
  'onOpen',
  'onInstall',
  'onEdit',
  'showSidebar',
  'showSettings',
  'menuCheck',
  'menuNormalize',
  'menuDropdowns',
  'menuSubmit',
  'menuClearMarks',
  'check',
  'normalize',
  'applyFix',
  'goToCell',
  'insertDropdowns',
  'submit',
  'listRounds',
  'getSettings',
  'saveSettings',
  'clearMarks',
] as const;
