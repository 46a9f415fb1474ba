import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppApi } from '../../shared/appApi';
import { JourneyEditor } from './JourneysPage';

// The editor sends nothing until every step has a glob and the journey a name.
describe('JourneyEditor', () => {
  beforeEach(() => {
    (window as unknown as { grafanaBootData: unknown }).grafanaBootData = { user: { orgRole: 'Admin' } };
  });

  it('adds, types and removes steps, and says what is missing before saving', async () => {
    const saved: unknown[] = [];
    render(<JourneyEditor api={new AppApi('http://otel-rum:4318')} onSaved={(j) => saved.push(j)} />);
    await userEvent.click(screen.getByText('Add step'));
    await userEvent.click(screen.getByText('Add step'));
    expect(screen.getAllByTestId('journey-step')).toHaveLength(3);
    await userEvent.type(screen.getByLabelText('Step 1 glob'), '/products/*');
    await userEvent.click(screen.getAllByLabelText('Action name')[1]!);
    expect(screen.getByLabelText('Step 2 glob')).toHaveAttribute('placeholder', 'Add to cart');
    await userEvent.click(screen.getAllByLabelText('Remove the step')[2]!);
    expect(screen.getAllByTestId('journey-step')).toHaveLength(2);
    await userEvent.click(screen.getByTestId('journey-save'));
    expect(screen.getByText('A journey needs a name')).toBeInTheDocument();
    expect(screen.getByText('Give the action name glob, e.g. Add to*')).toBeInTheDocument();
    expect(screen.queryByText('Give the URL path glob, e.g. /products/*')).not.toBeInTheDocument();
    expect(saved).toEqual([]);
  });
});
