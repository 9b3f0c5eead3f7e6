/**
 * Read-only documents showing one commit, opened from the report: `git show --stat` of the
 * commit and its AI provenance note as `git provenance show` prints it.
 */
import * as vscode from 'vscode';
import { describeRecord } from '../../core/commit/noteText';
import { showCommitStat } from '../../git/historyCommands';
import { readNote } from '../../git/notes';
import { runGit } from '../../git/runner';

/** The URI scheme of commit documents. */
export const commitScheme = 'ai-provenance-commit';

/** The document of `commit` in the repository at `root`. */
export function commitUri(root: string, commit: string): vscode.Uri {
  return vscode.Uri.from({ scheme: commitScheme, path: `/${commit.slice(0, 12)}.txt`, query: new URLSearchParams({ root, commit }).toString() });
}

/** Provides the text of commit documents. */
export class CommitDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly log: (m: string) => void) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const root = q.get('root');
    const commit = q.get('commit');
    if (!root || !commit || !/^[0-9a-f]{40,64}$/.test(commit)) return 'Not a commit.';
    try {
      const [show, records] = await Promise.all([runGit(root, showCommitStat(commit), { timeoutMs: 20_000 }), readNote(root, commit)]);
      const note = records.length === 0 ? ['No AI provenance note on this commit.'] : records.flatMap((r, i) => [...(i > 0 ? [''] : []), ...describeRecord(r, commit)]);
      return `${show.trimEnd()}\n\nAI provenance\n-------------\n${note.join('\n')}\n`;
    } catch (e) {
      this.log(`report: reading commit ${commit} failed: ${String(e)}`);
      return `Could not read commit ${commit}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}
