import type { ReactNode } from 'react';

/**
 * A screen: its section, named by its h1, with the head's controls (tabs, a button, a note)
 * beside the title. Every area's screen is one of these.
 */
export function Screen({
  id,
  title,
  className,
  head,
  children,
}: {
  id: string;
  title: string;
  className?: string;
  head?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className={className ? `screen ${className}` : 'screen'} aria-labelledby={`${id}-title`}>
      <header className="screen-head">
        <h1 id={`${id}-title`}>{title}</h1>
        {head}
      </header>
      {children}
    </section>
  );
}
