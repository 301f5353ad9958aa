import type { Coder } from '../../shared/coding';
import type { Area } from './appSlice';

/**
 * Who this window is open as. Roles shape the UI only: a coder sees Coding and their own
 * progress, the lead sees everything. They are not a security boundary (anyone can switch
 * from the role menu, and the API and CLI accept every call from either): a lab tool keeps
 * coders blind to the overlap by not showing it, not by locking it.
 */
export type Role = { kind: 'lead'; leadId: string | null } | { kind: 'coder'; coderId: string };

const ROLE_KEY = 'framelab.role';

export const LEAD: Role = { kind: 'lead', leadId: null };

/** Areas a coder sees; the lead sees every area. */
const CODER_AREAS: readonly Area[] = ['coding'];

export function areaAllowed(role: Role, area: Area): boolean {
  return role.kind === 'lead' || CODER_AREAS.includes(area);
}

/** The role remembered on this machine (the lead when none was chosen yet: an existing install keeps its view). */
export function rememberedRole(): Role {
  try {
    const saved = JSON.parse(localStorage.getItem(ROLE_KEY) ?? 'null') as Partial<{
      kind: string;
      leadId: unknown;
      coderId: unknown;
    }> | null;
    if (saved?.kind === 'coder' && typeof saved.coderId === 'string' && saved.coderId) return { kind: 'coder', coderId: saved.coderId };
    if (saved?.kind === 'lead') return { kind: 'lead', leadId: typeof saved.leadId === 'string' ? saved.leadId : null };
  } catch {
    // A value written by hand or by an older version: the default role.
  }
  return LEAD;
}

export function rememberRole(role: Role): void {
  // No storage outside a page (the store's unit tests): the role then lasts for the session.
  if (typeof localStorage !== 'undefined') localStorage.setItem(ROLE_KEY, JSON.stringify(role));
}

/** The role menu's value for a role, and back ("lead", "lead:<id>", "coder:<id>"). */
export function roleValue(role: Role): string {
  if (role.kind === 'coder') return `coder:${role.coderId}`;
  return role.leadId ? `lead:${role.leadId}` : 'lead';
}

export function roleFromValue(value: string): Role {
  if (value.startsWith('coder:')) return { kind: 'coder', coderId: value.slice('coder:'.length) };
  if (value.startsWith('lead:')) return { kind: 'lead', leadId: value.slice('lead:'.length) };
  return LEAD;
}

/** The menu's choices: the lead unnamed, each person with the lead role by name, each coder. */
export function roleChoices(coders: readonly Coder[]): { value: string; label: string }[] {
  const label = (c: Coder) => (c.name === c.coderId ? c.coderId : c.name);
  return [
    { value: 'lead', label: 'Lead' },
    ...coders.filter((c) => c.role === 'lead').map((c) => ({ value: `lead:${c.coderId}`, label: `Lead: ${label(c)}` })),
    ...coders.filter((c) => c.role === 'coder').map((c) => ({ value: `coder:${c.coderId}`, label: `Coder: ${label(c)}` })),
  ];
}

/** How the sidebar names the role. */
export function roleLabel(role: Role, coders: readonly Coder[]): string {
  const person = (id: string) => {
    const c = coders.find((x) => x.coderId === id);
    return c && c.name !== c.coderId ? c.name : id;
  };
  if (role.kind === 'coder') return `Coder: ${person(role.coderId)}`;
  return role.leadId ? `Lead: ${person(role.leadId)}` : 'Lead';
}

/** The person recorded for the lead's decisions (decided_by, codebook authors): a named lead, or nobody. */
export function leadPerson(role: Role): string | undefined {
  return role.kind === 'lead' && role.leadId ? role.leadId : undefined;
}
