/**
 * The kinds of reflection a rhythm cycles through, so a team is asked about more than one side of its work:
 * what it saw, what caught it out, what it took for granted, who was heard, what it is betting on, and what
 * it would change.
 */
export const PROMPT_THEMES = [
  'noticing',
  'surprise',
  'assumption',
  'voices',
  'hypothesis',
  'differently',
] as const;
export type PromptTheme = (typeof PROMPT_THEMES)[number];

export interface Prompt {
  key: string;
  text: string;
  theme: PromptTheme;
}

/**
 * Room for one clear question with a little context, short enough to take in at a glance in a channel.
 * A channel's own prompts are held to the same limit, so they read like the built-in ones.
 */
export const MAX_PROMPT_LENGTH = 300;

/**
 * The built-in prompts. Each asks about this week's real work and can be answered in one sentence.
 * Keys are stored with every posted prompt, so a key is never renamed or reused: retire a prompt by
 * removing it, and give a reworded one a new key only if its meaning changes.
 */
export const PROMPT_LIBRARY: readonly Prompt[] = [
  {
    key: 'library:noticing-1',
    theme: 'noticing',
    text: 'What did you notice in your work this week that you had not noticed before?',
  },
  {
    key: 'library:noticing-2',
    theme: 'noticing',
    text: 'What is one small thing you saw in this week’s work that others might have missed?',
  },
  {
    key: 'library:noticing-3',
    theme: 'noticing',
    text: 'Where did the work go faster or slower than usual this week, and what made the difference?',
  },
  {
    key: 'library:noticing-4',
    theme: 'noticing',
    text: 'What did someone you work with or for say or do this week that has stayed with you?',
  },
  {
    key: 'library:noticing-5',
    theme: 'noticing',
    text: 'Which result from this week matters most to you, and what did you notice about how it came about?',
  },
  {
    key: 'library:surprise-1',
    theme: 'surprise',
    text: 'What surprised you in your work this week?',
  },
  {
    key: 'library:surprise-2',
    theme: 'surprise',
    text: 'What happened this week that you did not see coming?',
  },
  {
    key: 'library:surprise-3',
    theme: 'surprise',
    text: 'Which result this week was better or worse than you expected?',
  },
  {
    key: 'library:surprise-4',
    theme: 'surprise',
    text: 'What did you hear this week from someone outside the team that you did not expect?',
  },
  {
    key: 'library:surprise-5',
    theme: 'surprise',
    text: 'What turned out easier or harder this week than we had planned for?',
  },
  {
    key: 'library:assumption-1',
    theme: 'assumption',
    text: 'What did we take for granted this week that turned out not to be true?',
  },
  {
    key: 'library:assumption-2',
    theme: 'assumption',
    text: 'Which belief behind our current work would you most like to check, and how could we check it soon?',
  },
  {
    key: 'library:assumption-3',
    theme: 'assumption',
    text: 'What are we assuming about the people this week’s work is for that we have not asked them about?',
  },
  {
    key: 'library:assumption-4',
    theme: 'assumption',
    text: 'Which of our plans for next week depends on something we have not checked yet?',
  },
  {
    key: 'library:assumption-5',
    theme: 'assumption',
    text: 'What did you expect a partner or colleague to do this week, and were you right?',
  },
  {
    key: 'library:voices-1',
    theme: 'voices',
    text: 'Whose view was missing from a decision we made this week?',
  },
  {
    key: 'library:voices-2',
    theme: 'voices',
    text: 'Who is affected by this week’s work but was not asked about it?',
  },
  {
    key: 'library:voices-3',
    theme: 'voices',
    text: 'What was said quietly this week, in a corridor or a side message, that the whole team should hear?',
  },
  {
    key: 'library:voices-4',
    theme: 'voices',
    text: 'Who did you hear from this week that we do not usually hear from, and what did they tell you?',
  },
  {
    key: 'library:voices-5',
    theme: 'voices',
    text: 'Who should be part of next week’s most important conversation, and have they been invited?',
  },
  {
    key: 'library:hypothesis-1',
    theme: 'hypothesis',
    text: 'What is one bet we are making in our work right now, put as “If we …, then …”?',
  },
  {
    key: 'library:hypothesis-2',
    theme: 'hypothesis',
    text: 'Which of our “If we …, then …” bets looks stronger or weaker after this week, and why?',
  },
  {
    key: 'library:hypothesis-3',
    theme: 'hypothesis',
    text: 'What would we see next week if our current bet turned out to be wrong?',
  },
  {
    key: 'library:hypothesis-4',
    theme: 'hypothesis',
    text: 'What small test could we try this week to find out whether our approach is working?',
  },
  {
    key: 'library:hypothesis-5',
    theme: 'hypothesis',
    text: 'What result in the next few weeks would make us change our plan?',
  },
  {
    key: 'library:differently-1',
    theme: 'differently',
    text: 'If you could redo one moment of this week’s work, what would you do differently?',
  },
  {
    key: 'library:differently-2',
    theme: 'differently',
    text: 'What worked well enough this week that we should keep doing it next week?',
  },
  {
    key: 'library:differently-3',
    theme: 'differently',
    text: 'What would you change about how we worked together this week?',
  },
  {
    key: 'library:differently-4',
    theme: 'differently',
    text: 'What is one thing we should stop doing, given what happened this week?',
  },
  {
    key: 'library:differently-5',
    theme: 'differently',
    text: 'What did we learn this week that we should act on before it is forgotten?',
  },
];

/** Asked at the start of each week, before the work happens, to point it at the team's learning questions. */
export const WEEK_AHEAD_PROMPT =
  'What is coming up this week where learning matters most, and which of our learning questions does it speak to?';

/** Asked at the end of each week, to set what happened beside what the team expected would happen. */
export const LOOK_BACK_PROMPT =
  'Looking back on this week, what happened compared with what we expected, and what explains the difference?';

/**
 * Picks the next prompt for a channel: never repeats one until every available prompt has been used.
 * `available` is in preference order (library then the channel's own); `usedOldestFirst` is the keys of
 * prompts already posted in the channel, in the order they were posted. Keys no longer available
 * (retired, deleted, unknown) are ignored.
 *
 * Reading the history backwards finds the cycle under way: a prompt not seen since the last time every
 * prompt appeared comes next (the earliest in preference order); when all have appeared, the one used
 * longest ago does. A newly added prompt is therefore used once, soon, and then joins the rotation.
 */
export function choosePrompt<T extends { key: string }>(
  available: readonly T[],
  usedOldestFirst: readonly string[],
): T | undefined {
  const availableKeys = new Set(available.map((prompt) => prompt.key));
  const seenNewestFirst: string[] = [];
  const seen = new Set<string>();
  for (let index = usedOldestFirst.length - 1; index >= 0 && seen.size < availableKeys.size; index -= 1) {
    const key = usedOldestFirst[index] as string;
    if (availableKeys.has(key) && !seen.has(key)) {
      seen.add(key);
      seenNewestFirst.push(key);
    }
  }
  const unseen = available.find((prompt) => !seen.has(prompt.key));
  if (unseen) return unseen;
  const longestAgo = seenNewestFirst[seenNewestFirst.length - 1];
  return available.find((prompt) => prompt.key === longestAgo);
}
