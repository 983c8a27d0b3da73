export { EvidenceFindings } from './EvidenceFindings';
