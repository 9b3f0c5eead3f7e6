/**
 * People as commit messages, git and policies name them (`Name <email>`, `@handle`, a bare
 * email), and when two names are the same person.
 */

/** A person as a trailer or git names them. */
export interface Ident {
  readonly name: string;
  /** Lower-cased; undefined when none is given. */
  readonly email: string | undefined;
  /** GitHub/GitLab handles (`alice`, `org/team`), lower-cased, without `@`. */
  readonly handles: readonly string[];
}

const handlePattern = /(?:^|[\s(,;])@([A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)?)/g;
const noreply = /^(?:\d+\+)?([A-Za-z0-9][A-Za-z0-9-]*)@users\.noreply\.github\.com$/;

/**
 * Reads `Name <email>`, `Name <email> (@handle)`, `@handle`, a bare email, or git's ident
 * form `Name <email> 1700000000 +0000` (the date is dropped). A GitHub no-reply address also
 * gives its handle.
 */
export function parseIdent(text: string): Ident {
  const t = text.trim().replace(/\s+\d+\s+[+-]\d{4}$/, '');
  const angle = /<([^<>\s]*)>/.exec(t);
  let email: string | undefined;
  let rest = t;
  if (angle) {
    email = angle[1] ? angle[1].toLowerCase() : undefined;
    rest = t.slice(0, angle.index) + ' ' + t.slice(angle.index + angle[0].length);
  } else {
    const bare = /(?:^|\s)([^\s<>@()]+@[^\s<>@()]+\.[^\s<>@()]+)(?=$|\s)/.exec(t);
    if (bare) {
      email = bare[1]!.toLowerCase();
      rest = t.replace(bare[1]!, ' ');
    }
  }
  const handles = new Set<string>();
  for (const m of rest.matchAll(handlePattern)) handles.add(m[1]!.toLowerCase());
  const nr = email ? noreply.exec(email) : null;
  if (nr) handles.add(nr[1]!.toLowerCase());
  const name = rest.replace(handlePattern, ' ').replace(/[()]/g, ' ').replace(/\s+/g, ' ').trim();
  return { name, email, handles: [...handles] };
}

/** Whether two idents are the same person: the same email or handle, or the same name when one has neither. */
export function samePerson(a: Ident, b: Ident): boolean {
  if (a.email && b.email && a.email === b.email) return true;
  if (a.handles.some((h) => b.handles.includes(h))) return true;
  const bare = (i: Ident): boolean => !i.email && i.handles.length === 0;
  return (bare(a) || bare(b)) && a.name !== '' && a.name.toLowerCase() === b.name.toLowerCase();
}

/** Whether `reviewer` is the one a policy or CODEOWNERS entry names (`Name <email>`, email, `@user`, `@org/team`). */
export function isNamedReviewer(reviewer: Ident, named: string): boolean {
  const spec = parseIdent(named);
  if (spec.email) return reviewer.email === spec.email;
  return spec.handles.some((h) => reviewer.handles.includes(h));
}

