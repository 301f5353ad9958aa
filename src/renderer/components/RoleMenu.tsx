import { useEffect } from 'react';
import { useStore } from '../store';
import { chooseCoder, loadCoders } from '../store/codingActions';
import { notifyError } from '../store/notifyError';
import { roleChoices, roleFromValue, roleValue } from '../store/role';

/**
 * Opens the window as the lead or as a coder (remembered on this machine). No password: the
 * role decides what this window shows, not what anyone may do — the title says so.
 */
export function RoleMenu() {
  const role = useStore((s) => s.role);
  const setRole = useStore((s) => s.setRole);
  const coders = useStore((s) => s.coders);
  const codersVersion = useStore((s) => s.topicVersions.coders ?? 0);

  useEffect(() => {
    loadCoders().catch(notifyError);
  }, [codersVersion]);

  const choices = roleChoices(coders);
  const value = roleValue(role);
  // A remembered role whose person is gone still shows (and can be left) rather than vanishing.
  if (!choices.some((c) => c.value === value))
    choices.push({ value, label: role.kind === 'coder' ? `Coder: ${role.coderId}` : `Lead: ${role.kind === 'lead' ? role.leadId : ''}` });
  return (
    <label
      className="role-menu"
      title="Roles shape what this window shows. They are not a security boundary: anyone can switch here, and the API and CLI accept every call."
    >
      <span className="muted small">Open as</span>
      <select
        aria-label="Role"
        data-testid="role-menu"
        value={value}
        onChange={(e) => {
          e.currentTarget.blur();
          const next = roleFromValue(e.target.value);
          setRole(next);
          // A coder's window codes as that coder: the Coding screen follows the role.
          if (next.kind === 'coder') void chooseCoder(next.coderId);
        }}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
