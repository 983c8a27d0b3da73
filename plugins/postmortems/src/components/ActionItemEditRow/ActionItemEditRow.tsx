import {
  Box,
  Button,
  Checkbox,
  FormControlLabel,
  makeStyles,
  MenuItem,
  TableCell,
  TableRow,
  TextField,
  Theme,
  Typography,
} from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  ACTION_ITEM_STATUSES,
  ActionItem,
  ActionItemStatus,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useEffect, useRef, useState } from 'react';
import Alert from '@material-ui/lab/Alert';
import { ActionItemInput } from '../../api';
import {
  ACTION_ITEM_LIMITS,
  ACTION_ITEM_STATUS_LABELS,
  ActionItemField,
  tooLongMessage,
} from '../../domain/actionItems';
import { todayIso } from '../../domain/time';
import { secondaryText, useFocusRing } from '../accessibility';
import { OwnerPicker } from '../OwnerPicker';

const useStyles = makeStyles((theme: Theme) => ({
  form: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
    padding: theme.spacing(1, 0),
  },
  description: { flex: '1 1 320px' },
  reason: { color: secondaryText(theme) },
  helper: { display: 'flex', justifyContent: 'space-between', gap: 8 },
  counter: { marginLeft: 'auto', whiteSpace: 'nowrap' },
  pastDate: { flexBasis: '100%', padding: theme.spacing(0, 1) },
  ownerError: {
    color: theme.palette.error.main,
    margin: theme.spacing(0.5, 1.75, 0),
  },
}));

/** The counter of a field appears once this share of its limit is used. */
const COUNTER_FROM = 0.8;

/**
 * A text field's helper line: what is wrong (or a hint) and, near the limit,
 * how many characters are used of how many.
 */
function helperOf(options: {
  classes: ReturnType<typeof useStyles>;
  message?: string;
  length: number;
  limit: number;
}) {
  const { classes, message, length, limit } = options;
  const counter =
    length >= limit * COUNTER_FROM
      ? `${length.toLocaleString('en-US')} / ${limit.toLocaleString('en-US')}`
      : undefined;
  if (!message && !counter) return undefined;
  return (
    <span className={classes.helper}>
      <span>{message}</span>
      {message && counter && ' '}
      {counter && <span className={classes.counter}>{counter}</span>}
    </span>
  );
}

/** An action item's fields as typed, before they are trimmed and sent. */
export interface ActionItemDraft {
  description: string;
  owner: string | null;
  due_date: string;
  status: ActionItemStatus;
  category: string;
  external_url: string;
}

export const emptyActionItemDraft: ActionItemDraft = {
  description: '',
  owner: null,
  due_date: '',
  status: 'open',
  category: '',
  external_url: '',
};

export function draftOfActionItem(item: ActionItem): ActionItemDraft {
  return {
    description: item.description,
    owner: item.owner,
    due_date: item.due_date ?? '',
    status: item.status,
    category: item.category ?? '',
    external_url: item.external_url ?? '',
  };
}

export function inputOfActionItemDraft(
  draft: ActionItemDraft,
): ActionItemInput & { description: string } {
  return {
    description: draft.description.trim(),
    owner: draft.owner,
    due_date: draft.due_date || null,
    status: draft.status,
    category: draft.category.trim() || null,
    external_url: draft.external_url.trim() || null,
  };
}

export interface ActionItemEditRowProps {
  idPrefix: string;
  initial: ActionItemDraft;
  categories: string[];
  busy: boolean;
  /** Why the last save failed: at the fields the backend named, or in general. */
  errors?: {
    fields: Partial<Record<ActionItemField, string>>;
    message?: string;
  };
  onSave(draft: ActionItemDraft): void;
  onCancel(): void;
  /** The author changed a field (what the backend said of it is stale). */
  onFieldChange?(field: ActionItemField): void;
}

/** A table row with the fields of a new or edited action item. */
export const ActionItemEditRow = ({
  idPrefix,
  initial,
  categories,
  busy,
  errors,
  onSave,
  onCancel,
  onFieldChange,
}: ActionItemEditRowProps) => {
  const classes = useStyles();
  const [draft, setDraft] = useState(initial);
  const [pastDateConfirmed, setPastDateConfirmed] = useState(false);
  const descriptionRef = useRef<HTMLInputElement>(null);
  // The row just opened for editing: typing goes to its first field.
  useEffect(() => descriptionRef.current?.focus(), []);
  const set = (change: Partial<ActionItemDraft>) => {
    setDraft(d => ({ ...d, ...change }));
    for (const field of Object.keys(change)) {
      onFieldChange?.(field as ActionItemField);
    }
  };
  const focusRing = useFocusRing();
  const server = errors?.fields ?? {};

  const description = draft.description.trim();
  const category = draft.category.trim();
  const url = draft.external_url.trim();
  const descriptionTooLong =
    description.length > ACTION_ITEM_LIMITS.description;
  const categoryTooLong = category.length > ACTION_ITEM_LIMITS.category;
  const urlTooLong = url.length > ACTION_ITEM_LIMITS.external_url;
  const urlInvalid = url !== '' && !/^https?:\/\/\S+$/i.test(url);
  // A date changed to one before today is likely a slip (a wrong year or
  // month): it is saved once the author says so. An item already overdue
  // keeps its date without asking again.
  const pastDate =
    draft.due_date !== '' &&
    draft.due_date !== initial.due_date &&
    draft.due_date < todayIso();

  const descriptionError = descriptionTooLong
    ? tooLongMessage(
        'description',
        description.length,
        ACTION_ITEM_LIMITS.description,
      )
    : server.description;
  const categoryError = categoryTooLong
    ? tooLongMessage('category', category.length, ACTION_ITEM_LIMITS.category)
    : server.category;
  let urlError = server.external_url;
  if (urlInvalid) {
    urlError =
      'Enter an http(s) link, such as https://tracker.example.com/OPS-12.';
  } else if (urlTooLong) {
    urlError = tooLongMessage(
      'external_url',
      url.length,
      ACTION_ITEM_LIMITS.external_url,
    );
  }
  const dueError = server.due_date;

  // A disabled button cannot be focused, so why Save is off is written next
  // to it and tied to it for screen readers.
  let saveBlockedBy: string | undefined;
  if (!description) {
    saveBlockedBy = 'Add a description to save.';
  } else if (descriptionTooLong) {
    saveBlockedBy = 'Shorten the description to save.';
  } else if (categoryTooLong) {
    saveBlockedBy = 'Shorten the category to save.';
  } else if (urlInvalid || urlTooLong) {
    saveBlockedBy = 'Correct the link to save.';
  } else if (pastDate && !pastDateConfirmed) {
    saveBlockedBy = 'Confirm the past due date to save.';
  }
  const reasonId = `${idPrefix}-save-reason`;
  // With an id, MUI's TextField marks its input aria-invalid on error and
  // ties the helper text to it with aria-describedby.
  const fieldProps = (error?: string, length?: number, limit?: number) => ({
    error: Boolean(error),
    helperText:
      length !== undefined && limit !== undefined
        ? helperOf({ classes, message: error, length, limit })
        : error,
  });

  // One cell across the table: the fields need more room than the columns.
  return (
    <TableRow>
      <TableCell colSpan={7}>
        <Box
          className={classes.form}
          role="group"
          aria-label={
            initial.description
              ? `Edit ${initial.description}`
              : 'New action item'
          }
        >
          <TextField
            id={`${idPrefix}-description`}
            label="Description"
            value={draft.description}
            onChange={e => set({ description: e.target.value })}
            size="small"
            variant="outlined"
            multiline
            required
            inputRef={descriptionRef}
            className={classes.description}
            {...fieldProps(
              descriptionError,
              description.length,
              ACTION_ITEM_LIMITS.description,
            )}
          />
          <Box>
            <OwnerPicker
              id={`${idPrefix}-owner`}
              value={draft.owner}
              onChange={owner => set({ owner })}
            />
            {server.owner && (
              <Typography
                variant="caption"
                component="p"
                id={`${idPrefix}-owner-error`}
                className={classes.ownerError}
              >
                {server.owner}
              </Typography>
            )}
          </Box>
          <TextField
            id={`${idPrefix}-due`}
            label="Due date"
            type="date"
            value={draft.due_date}
            onChange={e => {
              set({ due_date: e.target.value });
              setPastDateConfirmed(false);
            }}
            size="small"
            variant="outlined"
            InputLabelProps={{ shrink: true }}
            {...fieldProps(
              dueError ?? (pastDate ? 'This date is in the past.' : undefined),
            )}
            error={Boolean(dueError)}
          />
          <TextField
            select
            id={`${idPrefix}-status`}
            label="Status"
            value={draft.status}
            onChange={e => set({ status: e.target.value as ActionItemStatus })}
            size="small"
            variant="outlined"
            style={{ minWidth: 140 }}
          >
            {ACTION_ITEM_STATUSES.map(status => (
              <MenuItem key={status} value={status}>
                {ACTION_ITEM_STATUS_LABELS[status]}
              </MenuItem>
            ))}
          </TextField>
          <Autocomplete
            id={`${idPrefix}-category`}
            // ARIA 1.2 asks a combobox to name what it controls; MUI v4 names
            // its popup only with the older aria-owns.
            aria-controls={`${idPrefix}-category-popup`}
            freeSolo
            size="small"
            options={categories}
            inputValue={draft.category}
            onInputChange={(_e, value) => set({ category: value })}
            renderInput={params => (
              <TextField
                {...params}
                label="Category"
                variant="outlined"
                {...fieldProps(
                  categoryError,
                  category.length,
                  ACTION_ITEM_LIMITS.category,
                )}
              />
            )}
            style={{ minWidth: 170 }}
          />
          <TextField
            id={`${idPrefix}-link`}
            label="Link"
            value={draft.external_url}
            onChange={e => set({ external_url: e.target.value })}
            size="small"
            variant="outlined"
            placeholder="https://"
            {...fieldProps(
              urlError,
              url.length,
              ACTION_ITEM_LIMITS.external_url,
            )}
            style={{ minWidth: 240 }}
          />
          {pastDate && (
            <Box className={classes.pastDate}>
              <FormControlLabel
                control={
                  <Checkbox
                    size="small"
                    checked={pastDateConfirmed}
                    onChange={e => setPastDateConfirmed(e.target.checked)}
                  />
                }
                label={`Save with a due date in the past (${draft.due_date})`}
              />
            </Box>
          )}
          <Box display="flex" alignItems="center" style={{ gap: 4 }}>
            <Button
              color="primary"
              variant="contained"
              size="small"
              {...focusRing}
              disabled={busy || saveBlockedBy !== undefined}
              aria-describedby={saveBlockedBy ? reasonId : undefined}
              onClick={() => onSave(draft)}
            >
              Save
            </Button>
            <Button size="small" onClick={onCancel} disabled={busy}>
              Cancel
            </Button>
            {saveBlockedBy && (
              <Typography
                variant="caption"
                id={reasonId}
                className={classes.reason}
              >
                {saveBlockedBy}
              </Typography>
            )}
          </Box>
          {errors?.message && (
            <Alert severity="error" role="alert" style={{ flexBasis: '100%' }}>
              {errors.message}
            </Alert>
          )}
        </Box>
      </TableCell>
    </TableRow>
  );
};
