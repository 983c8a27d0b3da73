import { Link, Table, TableColumn } from '@backstage/core-components';
import { Box, TablePagination, Typography } from '@material-ui/core';
import { ReactNode } from 'react';
import { isOpen } from '../../domain/actionItems';
import { formatDate, incidentDuration } from '../../domain/time';
import type { PostmortemRow } from '../../hooks/usePostmortemRows';
import { EntityRefOrText } from '../EntityRefOrText';
import { PostmortemStatusChip, SeverityChip } from '../IncidentChips';

/**
 * Post-mortems as a table, newest incident first: incident, severity, status,
 * date, duration and open action items. Rows link to the post-mortem view.
 */
export const PostmortemTable = ({
  title,
  rows,
  linkTo,
  showServices,
  emptyContent,
  total,
  page,
  limit,
  onPageChange,
}: {
  title?: string;
  rows: PostmortemRow[];
  /** The URL of an incident's post-mortem view. */
  linkTo(incidentRef: string): string;
  showServices?: boolean;
  emptyContent?: ReactNode;
  /** Server-side paging; without it every row is shown. */
  total?: number;
  page?: number;
  limit?: number;
  onPageChange?(page: number): void;
}) => {
  const columns: TableColumn<PostmortemRow>[] = [
    {
      title: 'Incident',
      field: 'incident.reference',
      highlight: true,
      render: row => {
        const ref = row.incident?.reference ?? row.postmortem.incident_id;
        return (
          <Box>
            <Link to={linkTo(ref)}>{ref}</Link>
            <Typography variant="body2">{row.incident?.title ?? ''}</Typography>
          </Box>
        );
      },
    },
    {
      title: 'Severity',
      field: 'incident.severity',
      render: row =>
        row.incident ? <SeverityChip severity={row.incident.severity} /> : '—',
    },
    {
      title: 'Status',
      field: 'postmortem.status',
      render: row => <PostmortemStatusChip status={row.postmortem.status} />,
    },
    {
      title: 'Date',
      field: 'incident.triggered_at',
      render: row => formatDate(row.incident?.triggered_at),
    },
    {
      title: 'Duration',
      render: row => (row.incident ? incidentDuration(row.incident) : '—'),
    },
    {
      title: 'Open action items',
      align: 'right',
      // Lists give counts; a backend that sends the items is counted here.
      render: row =>
        row.postmortem.action_item_counts?.open ??
        row.postmortem.action_items?.filter(isOpen).length ??
        0,
    },
  ];
  if (showServices) {
    columns.splice(2, 0, {
      title: 'Services',
      render: row => (
        <Box display="flex" flexDirection="column">
          {(row.incident?.services ?? []).map(ref => (
            <EntityRefOrText key={ref} value={ref} defaultKind="component" />
          ))}
        </Box>
      ),
    });
  }

  return (
    <>
      <Table<PostmortemRow>
        title={title}
        columns={columns}
        data={rows}
        options={{
          paging: false,
          search: false,
          padding: 'dense',
          toolbar: Boolean(title),
          draggable: false,
          sorting: false,
        }}
        emptyContent={emptyContent}
      />
      {total !== undefined &&
        limit !== undefined &&
        page !== undefined &&
        onPageChange &&
        total > limit && (
          <TablePagination
            component="div"
            count={total}
            page={page - 1}
            rowsPerPage={limit}
            rowsPerPageOptions={[limit]}
            onPageChange={(_e, p) => onPageChange(p + 1)}
          />
        )}
    </>
  );
};
