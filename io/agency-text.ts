// How a list of agencies is printed in every export (xlsx, docx, csv, Sheet): one rule, so an export read back
// gives the same lists whatever the format.
import type { AgencyRef } from '../engine/index.js';

/**
 * Agencies as printed: the directory name when resolved, else the officer's text, joined by ", ".
 * The directory name, not the written item, because list splitting expands groups: "các sở: Tư pháp, Tài chính"
 * gives the items "Tư pháp" and "Tài chính", which written back without their "các sở:" read as unknown names
 * (or as one agency). The full names read back as the same agencies.
 */
export const agencyText = (refs: Pick<AgencyRef, 'text' | 'name' | 'kind'>[] | undefined): string =>
  (refs ?? []).map((r) => (r.kind === 'unknown' ? r.text : (r.name ?? r.text))).join(', ');
