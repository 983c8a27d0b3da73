import { Chip, TableCell } from '@material-ui/core';
import type { ActionItem } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { formatDate } from '../domain/time';
import { EntityRefOrText } from './EntityRefOrText';
import { useActionItemStyles } from './actionItemStyles';

/** An action item's owner and due date cells, the date marked when overdue. */
export const ActionItemOwnerAndDueCells = ({
  item,
  overdue,
}: {
  item: ActionItem;
  overdue: boolean;
}) => {
  const classes = useActionItemStyles();
  return (
    <>
      <TableCell>
        <EntityRefOrText value={item.owner} defaultKind="user" />
      </TableCell>
      <TableCell>
        {formatDate(item.due_date)}
        {overdue && (
          <Chip size="small" label="Overdue" className={classes.overdueChip} />
        )}
      </TableCell>
    </>
  );
};

/** Descriptions longer than this carry their whole text on hover. */
const CLAMPED_FROM = 120;

/** An action item's description, clamped to three lines. */
export const ActionItemDescription = ({ text }: { text: string }) => {
  const classes = useActionItemStyles();
  return (
    <span
      className={classes.description}
      title={text.length > CLAMPED_FROM ? text : undefined}
    >
      {text}
    </span>
  );
};
