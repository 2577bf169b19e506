import { readFileSync } from 'node:fs';
import { isRecord } from '../block-kit.js';
import { asString, fail, type MethodTable, ok, rejectPayload } from './reply.js';
import type { Workspace } from './state.js';

/*
 * Workflow Builder custom steps as Slack runs them for an app whose manifest declares `functions`: a
 * workflow run sends the app a `function_executed` event naming the step, its inputs and a
 * function_execution_id, and waits until the app calls functions.completeSuccess (outputs matching the
 * step's output_parameters) or functions.completeError (a message for the person who ran it). Their
 * documented errors: function_execution_not_found, execution_not_in_running_state,
 * parameter_validation_failed (outputs that do not match the step's definition).
 */

interface ParameterDefinition {
  type: string;
  is_required?: boolean;
}

interface FunctionDefinition {
  title: string;
  description: string;
  input_parameters: Record<string, ParameterDefinition>;
  output_parameters: Record<string, ParameterDefinition>;
}

/** The steps the app declares, read from its manifest as Slack reads them when the app is saved. */
const DECLARED: Record<string, FunctionDefinition> = JSON.parse(
  readFileSync(new URL('../../../manifest.json', import.meta.url), 'utf8'),
).functions;

/** One run of a step, from the event Slack sent to how the app ended it. */
export interface FunctionExecution {
  id: string;
  callbackId: string;
  inputs: Record<string, unknown>;
  state: 'running' | 'completed' | 'failed';
  outputs?: Record<string, unknown>;
  error?: string;
}

const executionsByWorkspace = new WeakMap<Workspace, Map<string, FunctionExecution>>();

function executionsOf(ws: Workspace): Map<string, FunctionExecution> {
  let executions = executionsByWorkspace.get(ws);
  if (!executions) {
    executions = new Map();
    executionsByWorkspace.set(ws, executions);
  }
  return executions;
}

let executionCount = 0;

/**
 * Starts a run of a declared step, as a workflow reaching it would, and returns the `function_executed`
 * event Slack sends for it (to be posted to the app, signed).
 */
export function startFunctionExecution(
  ws: Workspace,
  run: { callbackId: string; inputs: Record<string, unknown> },
): { execution: FunctionExecution; event: Record<string, unknown> } {
  const definition = DECLARED[run.callbackId];
  if (!definition) throw new Error(`the manifest declares no step ${run.callbackId}`);
  executionCount += 1;
  const id = `Fx${String(executionCount).padStart(10, '0')}`;
  const execution: FunctionExecution = {
    id,
    callbackId: run.callbackId,
    inputs: run.inputs,
    state: 'running',
  };
  executionsOf(ws).set(id, execution);
  const parameters = (params: Record<string, ParameterDefinition>) =>
    Object.entries(params).map(([name, parameter]) => ({ name, ...parameter }));
  const event = {
    type: 'function_executed',
    function: {
      id: `Fn${run.callbackId.length}${String(executionCount).padStart(8, '0')}`,
      callback_id: run.callbackId,
      title: definition.title,
      description: definition.description,
      type: 'app',
      input_parameters: parameters(definition.input_parameters),
      output_parameters: parameters(definition.output_parameters),
      app_id: ws.appId,
      date_created: 1_700_000_000,
      date_updated: 1_700_000_000,
      date_deleted: 0,
    },
    inputs: run.inputs,
    function_execution_id: id,
    workflow_execution_id: `Wx${String(executionCount).padStart(10, '0')}`,
    event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
    bot_access_token: `xwfp-${ws.teamId}-${id}`,
  };
  return { execution, event };
}

export function functionExecution(ws: Workspace, id: string): FunctionExecution | undefined {
  const execution = executionsOf(ws).get(id);
  return execution ? { ...execution } : undefined;
}

/** The run a completion is for, or Slack's answer when there is none to complete. */
function runningExecution(ws: Workspace, params: Record<string, unknown>) {
  const id = asString(params.function_execution_id);
  if (!id) return rejectPayload('invalid_arguments', ['missing required field: function_execution_id']);
  const execution = executionsOf(ws).get(id);
  if (!execution) return fail('function_execution_not_found');
  if (execution.state !== 'running') return fail('execution_not_in_running_state');
  return execution;
}

function outputProblems(definition: FunctionDefinition, outputs: Record<string, unknown>): string[] {
  const declared = definition.output_parameters;
  const problems = Object.keys(outputs)
    .filter((name) => !(name in declared))
    .map((name) => `output ${name} is not declared`);
  for (const [name, parameter] of Object.entries(declared)) {
    const value = outputs[name];
    if (value === undefined || value === null || value === '') {
      if (parameter.is_required) problems.push(`required output ${name} is missing`);
    } else if (parameter.type === 'string' && typeof value !== 'string') {
      problems.push(`output ${name} must be a string`);
    }
  }
  return problems;
}

export const functionsMethods: MethodTable = {
  'functions.completeSuccess': (ws, params) => {
    const execution = runningExecution(ws, params);
    if (!('state' in execution)) return execution;
    const outputs = params.outputs;
    if (!isRecord(outputs)) return rejectPayload('invalid_arguments', ['outputs must be an object']);
    const definition = DECLARED[execution.callbackId] as FunctionDefinition;
    const problems = outputProblems(definition, outputs);
    if (problems.length > 0) return rejectPayload('parameter_validation_failed', problems, true);
    execution.state = 'completed';
    execution.outputs = outputs;
    return ok();
  },
  'functions.completeError': (ws, params) => {
    const execution = runningExecution(ws, params);
    if (!('state' in execution)) return execution;
    const error = asString(params.error);
    if (!error) return rejectPayload('invalid_arguments', ['missing required field: error']);
    execution.state = 'failed';
    execution.error = error;
    return ok();
  },
};
