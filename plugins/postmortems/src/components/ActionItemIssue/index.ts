export { CreateIssueButton, IssueChip, trackerLabel } from './ActionItemIssue';
