import { makeStyles, Theme } from '@material-ui/core';

/**
 * How an action item looks wherever it is listed: an overdue row tinted and
 * marked on its left edge, its chips set off from the text.
 */
export const useActionItemStyles = makeStyles((theme: Theme) => ({
  overdue: {
    backgroundColor:
      theme.palette.type === 'dark'
        ? 'rgba(244, 67, 54, 0.16)'
        : 'rgba(244, 67, 54, 0.08)',
    '& td:first-child': {
      boxShadow: `inset 4px 0 0 ${theme.palette.error.main}`,
    },
  },
  overdueChip: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
    marginLeft: theme.spacing(1),
  },
  chip: { marginLeft: theme.spacing(1) },
  // A long description takes at most three lines of its row; the whole of
  // it is in the title shown on hover.
  description: {
    display: '-webkit-box',
    WebkitBoxOrient: 'vertical',
    WebkitLineClamp: 3,
    overflow: 'hidden',
    overflowWrap: 'anywhere',
    minWidth: 160,
  },
}));
