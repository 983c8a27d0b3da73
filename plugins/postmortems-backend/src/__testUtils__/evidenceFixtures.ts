import { builtinTemplate } from '../generation/offline';

export {
  evidenceFromDocument,
  incidentFromDocument,
} from '../generation/offline';

/** The built-in Standard template, as the store would serve it. */
export const standardTemplate = builtinTemplate('Standard');

export { longIncident } from '../generation/syntheticIncident';
