/**
 * A figure from the shared plot builders (src/shared/plots), drawn inline with theme
 * 'inherit' so it takes the app's colours and keeps its hover titles. Inline markup is safe
 * here because the builders escape every piece of data they place (names, levels, labels:
 * escapeXml), and the markup never comes from a file or the network.
 */
export function Figure({ svg, testId, wide = false }: { svg: string; testId?: string; wide?: boolean }) {
  return (
    <figure className={wide ? 'analysis-figure wide' : 'analysis-figure'} data-testid={testId} dangerouslySetInnerHTML={{ __html: svg }} />
  );
}
