"""Fixtures for tests against the Salesforce emulator, over HTTPS with its own CA.

One emulator per test session (per xdist worker); each test starts from an empty org.
"""

from __future__ import annotations

import pytest

from orderhub.integrations.salesforce.connection import connect_with_client_credentials


@pytest.fixture(scope="session")
def sf_org(tmp_path_factory):
    from salesforce_emulator.testing import running_emulator

    with running_emulator(tmp_path_factory.mktemp("sf-org")) as handle:
        yield handle


@pytest.fixture
def org(sf_org):
    """The emulated org, emptied: no records, faults, API calls or clock changes."""
    sf_org.reset()
    sf_org.clear_faults()
    sf_org.real_clock()
    yield sf_org
    sf_org.clear_faults()


@pytest.fixture
def connected(org, store, settings):
    """The store's Salesforce integration, connected with client credentials."""
    settings.ORDERHUB_TEST_NO_SLEEP = True
    return connect_with_client_credentials(
        store,
        endpoint_url=org.instance_url,
        client_id=org.client_id,
        client_secret=org.client_secret,
        ca_bundle=org.ca_cert,
        actor=None,
    )
