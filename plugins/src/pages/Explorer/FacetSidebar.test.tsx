import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FacetSidebar } from './FacetSidebar';

describe('FacetSidebar', () => {
  it('shows each value with its count and adds or excludes it on click', async () => {
    const added: Array<[string, unknown, boolean]> = [];
    render(
      <FacetSidebar
        facets={[
          {
            field: 'browser',
            values: [
              { value: 'Chrome', count: 12 },
              { value: null, count: 3 },
            ],
          },
          { field: 'os', values: [] },
        ]}
        onAdd={(f, v, n) => added.push([f, v, n])}
      />,
    );
    expect(screen.getByTestId('facet-value-browser-Chrome')).toHaveTextContent('Chrome12');
    expect(screen.getByTestId('facet-value-browser-(none)')).toHaveTextContent('(none)3');
    expect(screen.getByTestId('facet-os')).toHaveTextContent('no values');
    await userEvent.click(screen.getByTestId('facet-value-browser-Chrome'));
    await userEvent.click(screen.getAllByRole('button', { name: /Exclude browser = \(none\)/ })[0]!);
    expect(added).toEqual([
      ['browser', 'Chrome', false],
      ['browser', null, true],
    ]);
  });
});
