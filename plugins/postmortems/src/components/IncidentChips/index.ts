export {
  SeverityChip,
  IncidentStatusChip,
  PostmortemStatusChip,
} from './IncidentChips';
