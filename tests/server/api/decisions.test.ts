// Reviewer decisions on candidate groups over HTTP, on SQLite and PostgreSQL: the demo round's four seed annexes
// give 196 task rows and no merge until a reviewer merges; merge, keep apart and undo are stored per round,
// audited, re-applied on every rebuild, and flagged stale when a member's text changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../server/app.js';
import { DEMO_PASSWORD, loadDemo } from '../../../server/demo.js';
import type { Grid } from '../../../engine/index.js';
import { isUniqueViolation } from '../../../server/db/index.js';
import { endDecision, insertDecision } from '../../../server/data/decisions.js';
import { Client, startServer, type TestServer } from './harness.js';

const pgUrl = process.env.TEST_DATABASE_URL;
const targets = [
  { name: 'SQLite', url: undefined as string | undefined, skip: false },
  { name: 'PostgreSQL', url: pgUrl, skip: !pgUrl },
];

interface Candidate {
  id: string;
  members: { agencyId: string; agencyName: string; task: string; at: string; differs: string[] }[];
  decision: 'merge' | 'apart' | null;
  decisionId: string | null;
}

for (const target of targets) {
  describe.skipIf(target.skip)(`reviewer decisions on ${target.name}`, () => {
    let t: TestServer;
    let roundId: string;
    let reviewer: Client;
    let officer: Client;
    let candidates: Candidate[];

    beforeAll(async () => {
      t = await startServer({ pgUrl: target.url });
      roundId = (await loadDemo(t.services, ROOT)).roundId;
      reviewer = new Client(t.base);
      await reviewer.login('chuyenvien', DEMO_PASSWORD);
      officer = new Client(t.base);
      await officer.login('tuphap', DEMO_PASSWORD);
    });
    afterAll(async () => {
      await t?.close();
    });

    const groups = async (): Promise<Candidate[]> => {
      const r = await reviewer.get(`/api/rounds/${roundId}/report/candidates`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.candidates;
    };

    it('the latest versions of the four seeds give 196 task rows and no merge; similar tasks are proposed', async () => {
      expect((await reviewer.get(`/api/rounds/${roundId}/report/candidates`)).body.error.code).toBe('report.not-built');
      const built = await reviewer.post(`/api/rounds/${roundId}/report`, { include: 'latest' });
      expect(built.status).toBe(201);
      expect(built.body.agencies).toHaveLength(4);
      expect(built.body.stats).toMatchObject({ inputTasks: 196, tasks: 196, duplicatesMerged: 0, agencies: 4 });
      expect(built.body.stats.candidateGroups).toBeGreaterThan(0);
      expect(built.body.stats.pendingGroups).toBe(built.body.stats.candidateGroups);
      candidates = await groups();
      expect(candidates).toHaveLength(built.body.stats.candidateGroups);
      for (const g of candidates) {
        expect(g.decision).toBeNull();
        expect(g.members.length).toBeGreaterThanOrEqual(2);
        for (const m of g.members) expect(m.at).toMatch(/^[IVX]+\.\d+$/);
      }
      const json = await reviewer.get(`/api/rounds/${roundId}/report.json`);
      expect(json.body.sections.flatMap((s: { tasks: unknown[] }) => s.tasks)).toHaveLength(196);
    });

    it('only reviewers decide; an unknown group is refused saying what to do', async () => {
      const g = candidates[0];
      const byOfficer = await officer.post(`/api/rounds/${roundId}/decisions`, { group: g.id, action: 'merge' });
      expect(byOfficer.status).toBe(403);
      const unknown = await reviewer.post(`/api/rounds/${roundId}/decisions`, { group: 'gkhongco', action: 'merge' });
      expect(unknown.status).toBe(409);
      expect(unknown.body.error.message).toMatch(/Tổng hợp báo cáo/);
      const bad = await reviewer.post(`/api/rounds/${roundId}/decisions`, { group: g.id, action: 'gop' });
      expect(bad.status).toBe(400);
      expect((await reviewer.get(`/api/rounds/${roundId}/decisions`)).body.decisions).toEqual([]);
    });

    it('a merge makes one row listing every agency; a rebuild re-applies it; keep apart replaces it; undo ends it', async () => {
      const g = candidates[0];
      const n = g.members.length;
      const merged = await reviewer.post(`/api/rounds/${roundId}/decisions`, { group: g.id, action: 'merge' });
      expect(merged.status, JSON.stringify(merged.body)).toBe(201);
      expect(merged.body.decision).toMatchObject({ group: g.id, action: 'merge', stale: false });
      expect(merged.body.decision.members.map((m: { task: string }) => m.task)).toEqual(g.members.map((m) => m.task));
      expect(merged.body.report.stats).toMatchObject({
        inputTasks: 196,
        tasks: 196 - (n - 1),
        duplicatesMerged: n - 1,
      });
      expect(merged.body.report.stats.pendingGroups).toBe(candidates.length - 1);
      const after = (await groups()).find((x) => x.id === g.id)!;
      expect(after).toMatchObject({ decision: 'merge', decisionId: merged.body.decision.id });
      // The merged row names every member's agency as lead or support.
      const json = (await reviewer.get(`/api/rounds/${roundId}/report.json`)).body;
      const row = json.sections
        .flatMap((s: { tasks: unknown[] }) => s.tasks)
        .find((x: { duplicates: unknown[] }) => x.duplicates.length);
      expect(row.duplicates).toHaveLength(n - 1);
      expect(row.timelines).toHaveLength(n);

      // A plain rebuild keeps the reviewer's merge.
      const rebuilt = await reviewer.post(`/api/rounds/${roundId}/report`, { include: 'latest' });
      expect(rebuilt.body.stats).toMatchObject({ tasks: 196 - (n - 1), duplicatesMerged: n - 1 });

      // Keep apart: the merge is replaced, the rows come back.
      const apart = await reviewer.post(`/api/rounds/${roundId}/decisions`, { group: g.id, action: 'apart' });
      expect(apart.status).toBe(201);
      expect(apart.body.report.stats).toMatchObject({
        tasks: 196,
        duplicatesMerged: 0,
        pendingGroups: candidates.length - 1,
      });
      const inForce = (await reviewer.get(`/api/rounds/${roundId}/decisions`)).body.decisions;
      expect(inForce.map((d: { action: string; id: string }) => [d.action, d.id])).toEqual([
        ['apart', apart.body.decision.id],
      ]);
      // The same decision again changes nothing.
      const again = await reviewer.post(`/api/rounds/${roundId}/decisions`, { group: g.id, action: 'apart' });
      expect(again.body.decision.id).toBe(apart.body.decision.id);

      const undone = await reviewer.req('DELETE', `/api/rounds/${roundId}/decisions/${apart.body.decision.id}`);
      expect(undone.status).toBe(200);
      expect(undone.body.report.stats).toMatchObject({
        tasks: 196,
        duplicatesMerged: 0,
        pendingGroups: candidates.length,
      });
      expect(
        (await reviewer.req('DELETE', `/api/rounds/${roundId}/decisions/${apart.body.decision.id}`)).body.error.code,
      ).toBe('decision.ended');
      expect((await reviewer.get(`/api/rounds/${roundId}/decisions`)).body.decisions).toEqual([]);

      const audit = (await reviewer.get(`/api/audit?roundId=${roundId}`)).body.entries as {
        action: string;
        target: { type: string; id: string };
        detail: { group?: string; tasks?: string[] };
      }[];
      const decisions = audit.filter((e) => e.action.startsWith('decision.'));
      expect(decisions.map((e) => e.action)).toEqual(['decision.merge', 'decision.apart', 'decision.undo']);
      expect(decisions.map((e) => e.target.id)).toEqual([
        merged.body.decision.id,
        apart.body.decision.id,
        apart.body.decision.id,
      ]);
      for (const e of decisions) {
        expect(e.detail.group).toBe(g.id);
        expect(e.detail.tasks).toHaveLength(n);
      }
    });

    it('the database keeps at most one decision in force per group of a round', async () => {
      const row = {
        round_id: roundId,
        group_id: 'g-db-test',
        action: 'merge' as const,
        members_json: '[]',
        created_at: new Date().toISOString(),
        created_by: 'test',
        ended_at: null,
        ended_by: null,
        ended_how: null,
      };
      await insertDecision(t.handle.db, { ...row, id: 'd1' });
      const second = await insertDecision(t.handle.db, { ...row, id: 'd2', action: 'apart' }).catch((e: unknown) => e);
      expect(isUniqueViolation(second)).toBe(true);
      expect(await endDecision(t.handle.db, 'd1', { at: row.created_at, by: 'test', how: 'undone' })).toBe(true);
      expect(await endDecision(t.handle.db, 'd1', { at: row.created_at, by: 'test', how: 'undone' })).toBe(false);
      await insertDecision(t.handle.db, { ...row, id: 'd2', action: 'apart' });
      await endDecision(t.handle.db, 'd2', { at: row.created_at, by: 'test', how: 'undone' });
    });

    it('a decision whose member text changed is flagged stale and not applied', async () => {
      const g = candidates[1];
      const merged = await reviewer.post(`/api/rounds/${roundId}/decisions`, { group: g.id, action: 'merge' });
      expect(merged.body.report.stats.duplicatesMerged).toBe(g.members.length - 1);
      // The member's agency resubmits with that task reworded (Sở Nội vụ files it for the agency).
      const member = g.members[0];
      const subs = (await reviewer.get(`/api/rounds/${roundId}/submissions`)).body.submissions as {
        id: string;
        agencyId: string;
        latestVersion: number;
      }[];
      const sub = subs.find((x) => x.agencyId === member.agencyId)!;
      const version = (await reviewer.get(`/api/submissions/${sub.id}/versions/${sub.latestVersion}`)).body;
      const grids = version.grids as Grid[];
      let edited = 0;
      for (const grid of grids)
        for (const row of grid.rows)
          for (const cell of row.cells)
            if (cell.text.normalize('NFC').replace(/\s+/g, ' ').includes(member.task)) {
              cell.text = `${cell.text} và báo cáo kết quả`;
              edited++;
            }
      expect(edited).toBe(1);
      const resubmitted = await reviewer.post(`/api/rounds/${roundId}/submissions`, {
        grids,
        agencyId: member.agencyId,
        source: 'api',
      });
      expect(resubmitted.status, JSON.stringify(resubmitted.body).slice(0, 300)).toBe(201);
      const rebuilt = await reviewer.post(`/api/rounds/${roundId}/report`, { include: 'latest' });
      expect(rebuilt.body.stats).toMatchObject({ inputTasks: 196, tasks: 196, duplicatesMerged: 0 });
      expect(rebuilt.body.staleDecisions).toBe(1);
      const list = (await reviewer.get(`/api/rounds/${roundId}/decisions`)).body.decisions;
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({
        id: merged.body.decision.id,
        stale: true,
        missing: [{ agencyId: member.agencyId, task: member.task }],
      });
      const shown = (await reviewer.get(`/api/rounds/${roundId}/report/candidates`)).body;
      expect(shown.stale.map((d: { id: string }) => d.id)).toEqual([merged.body.decision.id]);
    });
  });
}
