import {
  Button,
  Chip,
  IconButton,
  makeStyles,
  MenuItem,
  TableCell,
  TableRow,
  TextField,
  Theme,
} from '@material-ui/core';
import CheckIcon from '@material-ui/icons/Check';
import ClearIcon from '@material-ui/icons/Clear';
import DeleteIcon from '@material-ui/icons/Delete';
import EditIcon from '@material-ui/icons/Edit';
import { useEffect, useRef } from 'react';
import {
  ACTION_ITEM_STATUSES,
  ActionItem,
  ActionItemStatus,
  IssueTracker,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ActionItemInput } from '../../api';
import {
  ACTION_ITEM_STATUS_LABELS,
  isOverdue,
  isProposal,
} from '../../domain/actionItems';
import { CreateIssueButton, IssueReference } from '../ActionItemIssue';
import {
  ActionItemDescription,
  ActionItemOwnerAndDueCells,
} from '../actionItemCells';
import { useFocusRing } from '../accessibility';
import { useActionItemStyles } from '../actionItemStyles';

const useStyles = makeStyles((theme: Theme) => ({
  proposal: {
    backgroundColor: theme.palette.action.hover,
  },
  actions: { whiteSpace: 'nowrap' },
  status: { minWidth: 130 },
}));

export interface ActionItemRowProps {
  item: ActionItem;
  /** Today's date (YYYY-MM-DD), against which due dates are overdue. */
  today: string;
  readOnly?: boolean;
  busy: boolean;
  /** Some item is being edited or added. */
  editing: boolean;
  trackers: IssueTracker[];
  /** An issue for this item is being created. */
  creatingIssue: boolean;
  onUpdate(input: ActionItemInput): void;
  onRemove(): void;
  onEdit(): void;
  onCreateIssue(tracker: IssueTracker): void;
  /** The item was just saved from its edit row: focus comes back to it. */
  focusRequested?: boolean;
  onFocused?(): void;
}

/** One action item as a table row, with its quick changes. */
export const ActionItemRow = ({
  item,
  today,
  readOnly,
  busy,
  editing,
  trackers,
  creatingIssue,
  onUpdate,
  onRemove,
  onEdit,
  onCreateIssue,
  focusRequested,
  onFocused,
}: ActionItemRowProps) => {
  const editRef = useRef<HTMLButtonElement>(null);
  const focusRing = useFocusRing();
  const canFocusEdit = !busy && !editing;
  // Focus lands on the item's Edit button once the table is idle (a disabled
  // button cannot take focus).
  useEffect(() => {
    if (!focusRequested || !canFocusEdit) return;
    editRef.current?.focus();
    onFocused?.();
  }, [focusRequested, canFocusEdit, onFocused]);
  const classes = { ...useActionItemStyles(), ...useStyles() };
  const overdue = isOverdue(item, today);
  const proposal = isProposal(item);
  // One issue per item: a pasted link counts as its issue too,
  // and proposals get one once someone accepts them.
  const canCreateIssue =
    !readOnly &&
    !proposal &&
    !item.external_key &&
    !item.external_url &&
    trackers.length > 0;
  let rowClass: string | undefined;
  if (overdue) rowClass = classes.overdue;
  else if (proposal) rowClass = classes.proposal;
  return (
    <TableRow className={rowClass}>
      <TableCell>
        <ActionItemDescription text={item.description} />
        {proposal && (
          <Chip
            size="small"
            label="AI proposal"
            variant="outlined"
            className={classes.chip}
          />
        )}
      </TableCell>
      <ActionItemOwnerAndDueCells item={item} overdue={overdue} />
      <TableCell>
        {readOnly || proposal ? (
          ACTION_ITEM_STATUS_LABELS[item.status]
        ) : (
          <TextField
            select
            value={item.status}
            size="small"
            className={classes.status}
            disabled={busy}
            SelectProps={{
              SelectDisplayProps: {
                'aria-label': `Status of ${item.description}`,
              } as React.HTMLAttributes<HTMLDivElement>,
            }}
            onChange={e =>
              onUpdate({
                status: e.target.value as ActionItemStatus,
              })
            }
          >
            {ACTION_ITEM_STATUSES.map(status => (
              <MenuItem key={status} value={status}>
                {ACTION_ITEM_STATUS_LABELS[status]}
              </MenuItem>
            ))}
          </TextField>
        )}
      </TableCell>
      <TableCell>{item.category ?? '—'}</TableCell>
      <TableCell>
        <IssueReference item={item} trackers={trackers} />
        {canCreateIssue && (
          <CreateIssueButton
            item={item}
            trackers={trackers}
            disabled={busy || editing}
            creating={creatingIssue}
            onCreate={onCreateIssue}
          />
        )}
        {!item.external_key && !item.external_url && !canCreateIssue && '—'}
      </TableCell>
      <TableCell className={classes.actions}>
        {!readOnly && proposal && (
          <>
            <Button
              size="small"
              color="primary"
              startIcon={<CheckIcon />}
              disabled={busy}
              aria-label={`Accept ${item.description}`}
              onClick={() => onUpdate({ accepted: true })}
            >
              Accept
            </Button>
            <Button
              size="small"
              startIcon={<ClearIcon />}
              disabled={busy}
              aria-label={`Drop ${item.description}`}
              onClick={onRemove}
            >
              Drop
            </Button>
          </>
        )}
        {!readOnly && !proposal && (
          <>
            <IconButton
              size="small"
              aria-label={`Edit ${item.description}`}
              ref={editRef}
              {...focusRing}
              disabled={busy || editing}
              onClick={onEdit}
            >
              <EditIcon fontSize="small" />
            </IconButton>
            <IconButton
              size="small"
              aria-label={`Delete ${item.description}`}
              disabled={busy}
              onClick={onRemove}
            >
              <DeleteIcon fontSize="small" />
            </IconButton>
          </>
        )}
      </TableCell>
    </TableRow>
  );
};
