import { Link } from '@backstage/core-components';
import {
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type {
  ActionItem,
  Incident,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  ACTION_ITEM_STATUS_LABELS,
  isOverdue,
  isProposal,
} from '../../domain/actionItems';
import { todayIso } from '../../domain/time';
import { useIssueTrackers } from '../../hooks/useIssueTrackers';
import { IssueReference } from '../ActionItemIssue';
import {
  ActionItemDescription,
  ActionItemOwnerAndDueCells,
} from '../actionItemCells';
import { useActionItemStyles } from '../actionItemStyles';

/**
 * Action items across incidents, read-only, overdue first and highlighted;
 * each links to its incident's post-mortem where it can be edited, and to its
 * issue in the tracker when it has one.
 */
export const ActionItemList = ({
  items,
  incidents,
  linkTo,
  label = 'Action items',
}: {
  items: ActionItem[];
  incidents?: Map<string, Incident>;
  linkTo(incidentRef: string): string;
  label?: string;
}) => {
  const classes = useActionItemStyles();
  const trackers = useIssueTrackers();
  const today = todayIso();
  const sorted = [...items].sort((a, b) => {
    const overdue = Number(isOverdue(b, today)) - Number(isOverdue(a, today));
    if (overdue) return overdue;
    return (a.due_date ?? '9999').localeCompare(b.due_date ?? '9999');
  });
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>Action item</TableCell>
          <TableCell>Incident</TableCell>
          <TableCell>Owner</TableCell>
          <TableCell>Due</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Issue</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {sorted.map(item => {
          const overdue = isOverdue(item, today);
          const incident = incidents?.get(item.incident_id);
          const ref = incident?.reference ?? item.incident_id;
          return (
            <TableRow
              key={item.id}
              className={overdue ? classes.overdue : undefined}
            >
              <TableCell>
                <ActionItemDescription text={item.description} />
                {isProposal(item) && (
                  <Chip
                    size="small"
                    variant="outlined"
                    label="AI proposal"
                    className={classes.chip}
                  />
                )}
              </TableCell>
              <TableCell>
                <Link to={linkTo(ref)}>{ref}</Link>
                {incident && (
                  <Typography
                    variant="caption"
                    display="block"
                    color="textSecondary"
                  >
                    {incident.title}
                  </Typography>
                )}
              </TableCell>
              <ActionItemOwnerAndDueCells item={item} overdue={overdue} />
              <TableCell>{ACTION_ITEM_STATUS_LABELS[item.status]}</TableCell>
              <TableCell>
                <IssueReference item={item} trackers={trackers} none="—" />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
};
