/**
 * The time zones a channel can be set to, and a search over them that answers what people type: a city
 * ("london", "new york"), a region ("europe") or an offset ("+5:30", "GMT-5").
 */

/**
 * The ICU data behind `Intl` still lists these zones under names IANA has since replaced. Slack reports
 * people's zones by the current names, so the list offers those, and the old ones still find them.
 */
const RENAMED: Readonly<Record<string, string>> = {
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

interface ListedZone {
  zone: string;
  /** The zone's name and any former name, lower case, in words: "asia kolkata asia calcutta". */
  words: string;
  /** The city part alone, in words: "new york". */
  city: string;
}

/** "America/New_York" → "america new york": what people type, without accents or punctuation. */
function inWords(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

let listed: readonly ListedZone[] | undefined;

function listedZones(): readonly ListedZone[] {
  listed ??= [...Intl.supportedValuesOf('timeZone'), 'UTC']
    .map((name) => {
      const zone = RENAMED[name] ?? name;
      const former = zone === name ? '' : ` ${inWords(name)}`;
      return { zone, words: `${inWords(zone)}${former}`, city: inWords(zone.split('/').at(-1) ?? zone) };
    })
    .sort((a, b) => a.zone.localeCompare(b.zone));
  return listed;
}

/** Every zone a channel can be set to, by the names Slack uses. */
export function channelTimeZones(): string[] {
  return listedZones().map((entry) => entry.zone);
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes ahead of UTC that `timeZone`'s clocks are at `at` (negative behind it). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  const name = format.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? '';
  const match = /([+\-−])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '+' ? minutes : -minutes;
}

/** "GMT+0", "GMT+5:30", "GMT-5": how far the zone's clocks are from UTC at `at`. */
export function utcOffsetLabel(timeZone: string, at: Date): string {
  const offset = utcOffsetMinutes(timeZone, at);
  const hours = Math.floor(Math.abs(offset) / 60);
  const minutes = Math.abs(offset) % 60;
  return `GMT${offset < 0 ? '-' : '+'}${hours}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
}

/** "+5:30", "utc-5", "GMT +1", "-03:00" as minutes from UTC; undefined for anything else. */
function offsetAsked(query: string): number | undefined {
  const typed = query.trim();
  const match = /^(utc|gmt)?\s*([+\-−])?\s*(\d{1,2})(?::?(\d{2}))?$/i.exec(typed);
  // A bare number ("5") is more likely the start of something else than an offset.
  if (!match || !(match[1] || match[2] || match[4])) return undefined;
  const minutes = Number(match[3]) * 60 + Number(match[4] ?? 0);
  return match[2] === '-' || match[2] === '−' ? -minutes : minutes;
}

/** What a search may ask for: Slack offers at most 100 options in one menu. */
export const MAX_TIME_ZONE_MATCHES = 100;
const MAX_QUERY_LENGTH = 100;

export interface TimeZoneMatch {
  zone: string;
  /** "GMT+5:30" at the instant searched for. */
  offset: string;
}

/**
 * The zones matching what someone typed, best first: a city that starts with the words typed, then a
 * zone with a word that starts with each word typed, then any zone containing them all. An offset
 * ("+5:30", "GMT-5") finds the zones on that offset at `at`.
 */
export function findTimeZones(query: string, at: Date, limit = MAX_TIME_ZONE_MATCHES): TimeZoneMatch[] {
  const text = query.slice(0, MAX_QUERY_LENGTH);
  const zones = listedZones();
  const offset = offsetAsked(text);
  let found: ListedZone[];
  if (offset !== undefined) {
    found = zones.filter((entry) => utcOffsetMinutes(entry.zone, at) === offset);
  } else {
    const typed = inWords(text);
    if (!typed) return [];
    const tokens = typed.split(' ');
    const rank = (entry: ListedZone): number => {
      if (!tokens.every((token) => entry.words.includes(token))) return -1;
      if (entry.city.startsWith(typed)) return 0;
      const words = entry.words.split(' ');
      return tokens.every((token) => words.some((word) => word.startsWith(token))) ? 1 : 2;
    };
    found = zones
      .map((entry) => ({ entry, rank: rank(entry) }))
      .filter((candidate) => candidate.rank >= 0)
      .sort((a, b) => a.rank - b.rank)
      .map((candidate) => candidate.entry);
  }
  return found.slice(0, limit).map((entry) => ({ zone: entry.zone, offset: utcOffsetLabel(entry.zone, at) }));
}
