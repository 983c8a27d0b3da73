import { Box, Button, CircularProgress, makeStyles } from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import SyncIcon from '@material-ui/icons/Sync';

const useStyles = makeStyles(theme => ({
  cardActions: { display: 'flex', gap: theme.spacing(1), marginTop: 8 },
}));

export interface TrackerToolbarProps {
  /** Offers the sync only when issue trackers are configured. */
  hasTrackers: boolean;
  syncing: boolean;
  busy: boolean;
  /** An item is being edited or added: no second edit, no sync under it. */
  editing: boolean;
  onSync(): void;
  onAdd(): void;
}

/** The action items card's buttons: sync with the trackers, add an item. */
export const TrackerToolbar = ({
  hasTrackers,
  syncing,
  busy,
  editing,
  onSync,
  onAdd,
}: TrackerToolbarProps) => {
  const classes = useStyles();
  return (
    <Box className={classes.cardActions}>
      {hasTrackers && (
        <Button
          startIcon={
            syncing ? (
              <CircularProgress size={16} aria-hidden="true" />
            ) : (
              <SyncIcon />
            )
          }
          onClick={onSync}
          disabled={busy || editing}
        >
          Sync with trackers
        </Button>
      )}
      <Button startIcon={<AddIcon />} onClick={onAdd} disabled={editing}>
        Add action item
      </Button>
    </Box>
  );
};
