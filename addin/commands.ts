// Ribbon function file. The ribbon button opens the task pane (ShowTaskpane); this page only has to
// initialise Office so the host can load it.
const office = (window as unknown as { Office?: typeof Office }).Office;
office?.onReady(() => undefined);
