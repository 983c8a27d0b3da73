export {
  CreateIssueButton,
  IssueChip,
  IssueReference,
  trackerLabel,
} from './ActionItemIssue';
