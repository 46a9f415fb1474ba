import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppApi } from '../../shared/appApi';
import { ApplicationEditPage } from './ApplicationEditPage';

// The new-application form makes no request until it is saved with no problem left.
describe('ApplicationEditPage (new)', () => {
  beforeEach(() => {
    (window as unknown as { grafanaBootData: unknown }).grafanaBootData = { user: { orgRole: 'Admin' } };
  });

  it('checks the app id as it is typed and refuses to save until every field is right', async () => {
    render(<ApplicationEditPage api={new AppApi('http://otel-rum:4318')} />);
    const appId = await screen.findByLabelText(/App id/);
    await userEvent.type(appId, 'shop-web');
    expect(screen.getByText('Only letters, digits and underscore: remove "-"')).toBeInTheDocument();
    await userEvent.clear(appId);
    await userEvent.type(appId, 'shop_web');
    expect(screen.queryByText(/Only letters, digits and underscore/)).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('save-application'));
    // Name is still empty: shown once the user tried to save; nothing was sent.
    expect(screen.getByText('A name is required')).toBeInTheDocument();
    expect(screen.queryByTestId('saved')).not.toBeInTheDocument();
    expect(screen.getByText(/Create the application to get its snippet/)).toBeInTheDocument();
  });

  it('is read only for a Viewer', async () => {
    (window as unknown as { grafanaBootData: unknown }).grafanaBootData = { user: { orgRole: 'Viewer' } };
    render(<ApplicationEditPage api={new AppApi('http://otel-rum:4318')} />);
    expect(
      await screen.findByText('Read only: managing applications needs the Admin role'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('save-application')).not.toBeInTheDocument();
  });
});
