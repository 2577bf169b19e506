/** A running app's /metrics, as a scraper sees it. */
export async function scrape(
  baseUrl: string,
): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${baseUrl}/metrics`);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** The value of one sample, or undefined when the series is absent. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : undefined;
}
