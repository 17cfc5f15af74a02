// Agency directory: canonical names, spellings, groups, list splitting, successors, suggestions.
// STUB (foundation): the normalize owner replaces the bodies; exported names/types are the contract.
import type { AgencyRef } from '../model.js';

export interface AgencyEntry {
  id: string;
  name: string;
  /** Other spellings and abbreviations ("Sở TT&TT", "Sở TTTT"). */
  aliases?: string[];
  kind?: 'agency' | 'group';
  /** Period in which the agency exists (ISO dates). */
  validFrom?: string;
  validTo?: string;
  /** Where the agency went when it was merged or dissolved. */
  successor?: { id: string; since: string };
}

export interface DirectoryFile {
  province: string; // "nam-dinh"
  provinceName: string; // "Nam Định"
  validFrom?: string;
  validTo?: string;
  successorProvince?: { id: string; since: string };
  agencies: AgencyEntry[];
}

export interface ResolveAt {
  province?: string;
  /** ISO date at which names are resolved (successors apply after their date). */
  date?: string;
}

export class AgencyDirectory {
  private constructor(readonly files: DirectoryFile[]) {}

  static fromData(files: DirectoryFile[]): AgencyDirectory {
    return new AgencyDirectory(files);
  }

  resolve(text: string, _at: ResolveAt = {}): AgencyRef[] {
    const t = text.trim();
    return t ? [{ text: t, kind: 'unknown' }] : [];
  }

  suggest(_text: string, _at: ResolveAt = {}, _limit = 3): { id: string; name: string; score: number }[] {
    return [];
  }

  agencies(_province: string, _date?: string): AgencyEntry[] {
    return [];
  }
}

/** Splits a combined "Phân công" text ("Sở Nội vụ chủ trì, phối hợp với các sở, ngành") into lead and support. */
export function splitAssignment(text: string): { lead: string; support: string } {
  const m = /^(.*?)\s*chủ trì[,;]?\s*(?:phối hợp với|phối hợp)?\s*(.*)$/i.exec(text.trim());
  return m ? { lead: m[1].trim(), support: m[2].trim() } : { lead: text.trim(), support: '' };
}
