/**
 * A backend module that makes Fluidify Regen the home of incidents for
 * Post-Mortems for Backstage.
 *
 * @packageDocumentation
 */
export { postmortemsModuleRegen as default } from './module';
export { RegenClient, RegenError } from './RegenClient';
export { RegenUpstream } from './RegenUpstream';
export { regenUpstreamFromConfig } from './config';
