export { RevisionHistory } from './RevisionHistory';
export { RevisionDiffView } from './RevisionDiffView';
