/*
 * Slack's Block Kit rules as the fake Slack applies them: pure functions from a
 * message's blocks or a view to the problems Slack would report, so a layout
 * can be checked without a server, and the fake rejects what Slack would.
 * One rule is ours rather than Slack's (labels leave "(optional)" to Slack),
 * so that every view any test builds or opens is held to it.
 */

const MESSAGE_MAX_BLOCKS = 50;
const VIEW_MAX_BLOCKS = 100;

const BLOCK_TYPES = new Set([
  'section',
  'header',
  'divider',
  'context',
  'actions',
  'input',
  'image',
  'rich_text',
  'file',
]);

const SELECTS_WITH_PLACEHOLDER = [
  'static_select',
  'multi_static_select',
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
];

// Slack only accepts a given element inside certain blocks; using e.g. a
// plain_text_input in an actions block is rejected outright.
const SECTION_ACCESSORIES = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'image',
  'overflow',
  'radio_buttons',
  'timepicker',
  ...SELECTS_WITH_PLACEHOLDER,
]);
const ACTIONS_ELEMENTS = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'overflow',
  'radio_buttons',
  'timepicker',
  'rich_text_input',
  ...SELECTS_WITH_PLACEHOLDER,
]);
const INPUT_ELEMENTS = new Set([
  'plain_text_input',
  'checkboxes',
  'radio_buttons',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'email_text_input',
  'url_text_input',
  'number_input',
  'file_input',
  'rich_text_input',
  ...SELECTS_WITH_PLACEHOLDER,
]);

type Problems = string[];

/** A JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problem(out: Problems, path: string, message: string): void {
  // Same pointer notation Slack uses in response_metadata.messages, so a
  // failure points at the offending field.
  out.push(`${message} [json-pointer:${path}]`);
}

function checkString(
  value: unknown,
  path: string,
  out: Problems,
  rules: { max: number; required?: boolean; nonEmpty?: boolean },
): void {
  if (value === undefined) {
    if (rules.required) problem(out, path, 'missing required field');
    return;
  }
  if (typeof value !== 'string') {
    problem(out, path, `must be a string, got ${typeof value}`);
    return;
  }
  if (rules.nonEmpty && value.length === 0) problem(out, path, 'must be more than 0 characters');
  if (value.length > rules.max) {
    problem(out, path, `must be at most ${rules.max} characters (got ${value.length})`);
  }
}

function checkText(
  value: unknown,
  path: string,
  out: Problems,
  rules: { max: number; plainOnly?: boolean; required?: boolean },
): void {
  if (value === undefined) {
    if (rules.required) problem(out, path, 'missing required field');
    return;
  }
  if (!isRecord(value)) {
    problem(out, path, 'must be a text object {type, text}');
    return;
  }
  const { type, text } = value;
  if (type !== 'plain_text' && type !== 'mrkdwn') {
    problem(out, `${path}/type`, `must be plain_text or mrkdwn, got ${JSON.stringify(type)}`);
  } else if (rules.plainOnly && type !== 'plain_text') {
    problem(out, `${path}/type`, `must be plain_text here, got ${type}`);
  }
  if (typeof text !== 'string') {
    problem(out, `${path}/text`, 'missing required field');
  } else {
    if (text.length === 0) problem(out, `${path}/text`, 'must be more than 0 characters');
    if (text.length > rules.max) {
      problem(out, `${path}/text`, `must be at most ${rules.max} characters (got ${text.length})`);
    }
  }
  if (type === 'mrkdwn' && 'emoji' in value)
    problem(out, `${path}/emoji`, 'emoji is only allowed on plain_text');
  if (type === 'plain_text' && 'verbatim' in value) {
    problem(out, `${path}/verbatim`, 'verbatim is only allowed on mrkdwn');
  }
}

function checkArray(
  value: unknown,
  path: string,
  out: Problems,
  rules: { min?: number; max: number; required?: boolean },
): unknown[] | undefined {
  if (value === undefined) {
    if (rules.required) problem(out, path, 'missing required field');
    return undefined;
  }
  if (!Array.isArray(value)) {
    problem(out, path, 'must be an array');
    return undefined;
  }
  const min = rules.min ?? 0;
  if (value.length < min) problem(out, path, `must provide at least ${min} item${min === 1 ? '' : 's'}`);
  if (value.length > rules.max)
    problem(out, path, `must provide at most ${rules.max} items (got ${value.length})`);
  return value;
}

function checkConfirm(value: unknown, path: string, out: Problems): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    problem(out, path, 'must be a confirmation dialog object');
    return;
  }
  checkText(value.title, `${path}/title`, out, { max: 100, plainOnly: true, required: true });
  checkText(value.text, `${path}/text`, out, { max: 300, required: true });
  checkText(value.confirm, `${path}/confirm`, out, { max: 30, plainOnly: true, required: true });
  checkText(value.deny, `${path}/deny`, out, { max: 30, plainOnly: true, required: true });
}

function checkOptions(
  value: unknown,
  path: string,
  out: Problems,
  rules: { min?: number; max: number; required?: boolean; allowMrkdwn?: boolean; allowUrl?: boolean },
): unknown[] | undefined {
  const options = checkArray(value, path, out, {
    min: rules.min ?? 1,
    max: rules.max,
    required: rules.required ?? false,
  });
  options?.forEach((option, i) => {
    const at = `${path}/${i}`;
    if (!isRecord(option)) {
      problem(out, at, 'must be an option object');
      return;
    }
    checkText(option.text, `${at}/text`, out, { max: 75, plainOnly: !rules.allowMrkdwn, required: true });
    checkString(option.value, `${at}/value`, out, { max: 150, required: true });
    checkText(option.description, `${at}/description`, out, { max: 75, plainOnly: !rules.allowMrkdwn });
    if (rules.allowUrl) checkString(option.url, `${at}/url`, out, { max: 3000 });
    else if (option.url !== undefined)
      problem(out, `${at}/url`, 'url is only allowed on overflow menu options');
  });
  return options;
}

function optionKey(option: unknown): string {
  if (!isRecord(option)) return JSON.stringify(option);
  const text = isRecord(option.text) ? option.text.text : undefined;
  return JSON.stringify([option.value, text]);
}

// Slack requires initial options to be exact copies of listed ones; a stale
// label with the right value is a classic cause of invalid_blocks.
function checkInitialOptions(
  element: Record<string, unknown>,
  options: unknown[] | undefined,
  path: string,
  out: Problems,
): void {
  if (!options) return;
  const known = new Set(options.map(optionKey));
  if (element.initial_option !== undefined && !known.has(optionKey(element.initial_option))) {
    problem(out, `${path}/initial_option`, 'must match one of the provided options');
  }
  if (element.initial_options !== undefined) {
    if (!Array.isArray(element.initial_options)) {
      problem(out, `${path}/initial_options`, 'must be an array');
    } else {
      element.initial_options.forEach((option, i) => {
        if (!known.has(optionKey(option))) {
          problem(out, `${path}/initial_options/${i}`, 'must match one of the provided options');
        }
      });
    }
  }
}

function checkElement(
  element: unknown,
  path: string,
  out: Problems,
  allowed: Set<string>,
  actionIds: Set<string>,
): void {
  if (!isRecord(element)) {
    problem(out, path, 'must be an element object');
    return;
  }
  const type = element.type;
  if (typeof type !== 'string') {
    problem(out, `${path}/type`, 'missing required field');
    return;
  }
  if (!allowed.has(type)) {
    problem(out, `${path}/type`, `element type ${JSON.stringify(type)} is not allowed here`);
    return;
  }
  if (type !== 'image') {
    checkString(element.action_id, `${path}/action_id`, out, { max: 255 });
    if (typeof element.action_id === 'string') {
      if (actionIds.has(element.action_id)) {
        problem(
          out,
          `${path}/action_id`,
          `duplicate action_id ${JSON.stringify(element.action_id)} in block`,
        );
      }
      actionIds.add(element.action_id);
    }
    checkConfirm(element.confirm, `${path}/confirm`, out);
  }
  if (SELECTS_WITH_PLACEHOLDER.includes(type) || type.endsWith('input') || type.endsWith('picker')) {
    checkText(element.placeholder, `${path}/placeholder`, out, { max: 150, plainOnly: true });
  }
  switch (type) {
    case 'button':
      checkText(element.text, `${path}/text`, out, { max: 75, plainOnly: true, required: true });
      checkString(element.value, `${path}/value`, out, { max: 2000 });
      checkString(element.url, `${path}/url`, out, { max: 3000 });
      checkString(element.accessibility_label, `${path}/accessibility_label`, out, { max: 75 });
      if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
        problem(out, `${path}/style`, 'must be primary or danger');
      }
      break;
    case 'static_select':
    case 'multi_static_select': {
      const hasOptions = element.options !== undefined;
      const hasGroups = element.option_groups !== undefined;
      if (hasOptions === hasGroups) {
        problem(out, path, 'must provide exactly one of options or option_groups');
      }
      let all: unknown[] | undefined;
      if (hasOptions) {
        all = checkOptions(element.options, `${path}/options`, out, { max: 100 });
      } else if (hasGroups) {
        const groups = checkArray(element.option_groups, `${path}/option_groups`, out, { min: 1, max: 100 });
        all = [];
        groups?.forEach((group, i) => {
          const at = `${path}/option_groups/${i}`;
          if (!isRecord(group)) {
            problem(out, at, 'must be an option group object');
            return;
          }
          checkText(group.label, `${at}/label`, out, { max: 75, plainOnly: true, required: true });
          const options = checkOptions(group.options, `${at}/options`, out, { max: 100, required: true });
          if (options) all?.push(...options);
        });
      }
      checkInitialOptions(element, all, path, out);
      break;
    }
    case 'overflow':
      checkOptions(element.options, `${path}/options`, out, {
        min: 2,
        max: 5,
        required: true,
        allowUrl: true,
      });
      break;
    case 'checkboxes':
    case 'radio_buttons': {
      const options = checkOptions(element.options, `${path}/options`, out, {
        max: 10,
        required: true,
        allowMrkdwn: true,
      });
      checkInitialOptions(element, options, path, out);
      break;
    }
    case 'plain_text_input': {
      const max = element.max_length;
      const min = element.min_length;
      if (max !== undefined && (typeof max !== 'number' || max < 1 || max > 3000)) {
        problem(out, `${path}/max_length`, 'must be a number between 1 and 3000');
      }
      if (min !== undefined && (typeof min !== 'number' || min < 0 || min > 3000)) {
        problem(out, `${path}/min_length`, 'must be a number between 0 and 3000');
      }
      if (typeof min === 'number' && typeof max === 'number' && min > max) {
        problem(out, `${path}/min_length`, 'must not be greater than max_length');
      }
      const limit = typeof max === 'number' ? Math.min(max, 3000) : 3000;
      checkString(element.initial_value, `${path}/initial_value`, out, { max: limit });
      break;
    }
    case 'datepicker':
      if (element.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(element.initial_date))) {
        problem(out, `${path}/initial_date`, 'must be formatted YYYY-MM-DD');
      }
      break;
    case 'timepicker':
      if (
        element.initial_time !== undefined &&
        !/^([01]\d|2[0-3]):[0-5]\d$/.test(String(element.initial_time))
      ) {
        problem(out, `${path}/initial_time`, 'must be formatted HH:mm');
      }
      break;
    case 'number_input':
      if (typeof element.is_decimal_allowed !== 'boolean') {
        problem(out, `${path}/is_decimal_allowed`, 'missing required field');
      }
      break;
    case 'image':
      checkImageSource(element, path, out);
      break;
  }
}

function checkImageSource(image: Record<string, unknown>, path: string, out: Problems): void {
  if (image.image_url === undefined && image.slack_file === undefined) {
    problem(out, `${path}/image_url`, 'must provide image_url or slack_file');
  }
  checkString(image.image_url, `${path}/image_url`, out, { max: 3000, nonEmpty: true });
  checkString(image.alt_text, `${path}/alt_text`, out, { max: 2000, required: true, nonEmpty: true });
}

// Our own rule on top of Slack's: Slack writes "(optional)" after the label of every optional input, so a
// label that says it too reads "… (optional) (optional)". Slack would accept it; people would notice.
const SAYS_OPTIONAL = /\boptional\b/i;

function checkLabelLeavesOptionalToSlack(label: unknown, path: string, out: Problems): void {
  if (!isRecord(label) || typeof label.text !== 'string' || !SAYS_OPTIONAL.test(label.text)) return;
  problem(out, path, 'must not say "optional": Slack adds "(optional)" to the label itself');
}

function checkBlock(block: unknown, path: string, out: Problems, blockIds: Set<string>): boolean {
  if (!isRecord(block)) {
    problem(out, path, 'must be a block object');
    return false;
  }
  const type = block.type;
  if (typeof type !== 'string') {
    problem(out, `${path}/type`, 'missing required field');
    return false;
  }
  if (!BLOCK_TYPES.has(type)) {
    problem(out, `${path}/type`, `unknown block type ${JSON.stringify(type)}`);
    return false;
  }
  checkString(block.block_id, `${path}/block_id`, out, { max: 255, nonEmpty: true });
  if (typeof block.block_id === 'string') {
    if (blockIds.has(block.block_id))
      problem(out, `${path}/block_id`, `duplicate block_id ${JSON.stringify(block.block_id)}`);
    blockIds.add(block.block_id);
  }
  const actionIds = new Set<string>();
  switch (type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined) {
        problem(out, path, 'must provide text or fields');
      }
      checkText(block.text, `${path}/text`, out, { max: 3000 });
      const fields = checkArray(block.fields, `${path}/fields`, out, { min: 1, max: 10 });
      fields?.forEach((field, i) => {
        checkText(field, `${path}/fields/${i}`, out, { max: 2000, required: true });
      });
      if (block.accessory !== undefined) {
        checkElement(block.accessory, `${path}/accessory`, out, SECTION_ACCESSORIES, actionIds);
      }
      break;
    }
    case 'header':
      checkText(block.text, `${path}/text`, out, { max: 150, plainOnly: true, required: true });
      break;
    case 'context': {
      const elements = checkArray(block.elements, `${path}/elements`, out, {
        min: 1,
        max: 10,
        required: true,
      });
      elements?.forEach((element, i) => {
        const at = `${path}/elements/${i}`;
        if (isRecord(element) && element.type === 'image') checkImageSource(element, at, out);
        else checkText(element, at, out, { max: 3000, required: true });
      });
      break;
    }
    case 'actions': {
      const elements = checkArray(block.elements, `${path}/elements`, out, {
        min: 1,
        max: 25,
        required: true,
      });
      elements?.forEach((element, i) => {
        checkElement(element, `${path}/elements/${i}`, out, ACTIONS_ELEMENTS, actionIds);
      });
      break;
    }
    case 'input':
      checkText(block.label, `${path}/label`, out, { max: 2000, plainOnly: true, required: true });
      checkLabelLeavesOptionalToSlack(block.label, `${path}/label/text`, out);
      checkText(block.hint, `${path}/hint`, out, { max: 2000, plainOnly: true });
      if (block.element === undefined) problem(out, `${path}/element`, 'missing required field');
      else checkElement(block.element, `${path}/element`, out, INPUT_ELEMENTS, actionIds);
      if (block.optional !== undefined && typeof block.optional !== 'boolean') {
        problem(out, `${path}/optional`, 'must be a boolean');
      }
      break;
    case 'image':
      checkImageSource(block, path, out);
      checkText(block.title, `${path}/title`, out, { max: 2000, plainOnly: true });
      break;
    case 'rich_text':
      checkArray(block.elements, `${path}/elements`, out, { max: Number.POSITIVE_INFINITY, required: true });
      break;
    case 'file':
      checkString(block.external_id, `${path}/external_id`, out, {
        max: 255,
        required: true,
        nonEmpty: true,
      });
      if (block.source !== 'remote') problem(out, `${path}/source`, 'must be remote');
      break;
  }
  return type === 'input';
}

function checkBlockList(
  blocks: unknown,
  path: string,
  out: Problems,
  maxBlocks: number,
): { hasInput: boolean } {
  const list = checkArray(blocks, path, out, { max: maxBlocks, required: true });
  const blockIds = new Set<string>();
  let hasInput = false;
  list?.forEach((block, i) => {
    if (checkBlock(block, `${path}/${i}`, out, blockIds)) hasInput = true;
  });
  return { hasInput };
}

/** Problems Slack would report for a message's `blocks`; an empty list means Slack would accept them. */
export function checkMessageBlocks(blocks: unknown): string[] {
  const out: Problems = [];
  checkBlockList(blocks, '/blocks', out, MESSAGE_MAX_BLOCKS);
  return out;
}

/** Problems Slack would report for a modal or App Home `view`; an empty list means Slack would accept it. */
export function checkView(view: unknown): string[] {
  const out: Problems = [];
  if (!isRecord(view)) {
    problem(out, '/view', 'must be a view object');
    return out;
  }
  const type = view.type;
  if (type !== 'modal' && type !== 'home') {
    problem(out, '/view/type', `must be modal or home, got ${JSON.stringify(type)}`);
  }
  const { hasInput } = checkBlockList(view.blocks, '/view/blocks', out, VIEW_MAX_BLOCKS);
  if (type === 'modal') {
    checkText(view.title, '/view/title', out, { max: 24, plainOnly: true, required: true });
    checkText(view.submit, '/view/submit', out, { max: 24, plainOnly: true });
    checkText(view.close, '/view/close', out, { max: 24, plainOnly: true });
    if (hasInput && view.submit === undefined) {
      problem(out, '/view/submit', 'is required when the view contains an input block');
    }
  }
  checkString(view.private_metadata, '/view/private_metadata', out, { max: 3000 });
  checkString(view.callback_id, '/view/callback_id', out, { max: 255 });
  checkString(view.external_id, '/view/external_id', out, { max: 255 });
  for (const flag of ['clear_on_close', 'notify_on_close', 'submit_disabled'] as const) {
    if (view[flag] !== undefined && typeof view[flag] !== 'boolean') {
      problem(out, `/view/${flag}`, 'must be a boolean');
    }
  }
  return out;
}
