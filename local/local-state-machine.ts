/**
 * The workflows' ASL, run in this process by aws-local-stepfunctions.
 *
 * The interpreter validates a definition with asl-validator (a JSON schema compiled by ajv) each time one is built:
 * about 0.7-1 s per workflow on a 2-core machine, paid by every `npm start` and every test runtime for files that
 * cannot change while they run. test/unit/state-machines.test.ts validates every workflow in state-machines/ with the
 * same validator, with its placeholders and substituted, so a broken definition still fails before it ships.
 */
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

export const localStateMachine = (definition: StateMachineDefinition): StateMachine =>
  new StateMachine(definition, { validationOptions: { noValidate: true } });
