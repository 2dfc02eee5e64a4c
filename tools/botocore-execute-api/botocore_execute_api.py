"""Sign AWS CLI / boto3 calls to Open Incident Manager as API Gateway requires.

The AWS CLI and boto3 sign ssm-incidents and ssm-contacts requests for the services ``ssm-incidents`` and
``ssm-contacts``. Open Incident Manager runs behind an API Gateway HTTP API with IAM authorization, which accepts
only signatures for ``execute-api``. This plugin changes, for requests to an endpoint that is not AWS's own
Incident Manager endpoint (so: ``--endpoint-url``, ``AWS_ENDPOINT_URL_SSM_INCIDENTS``, ``endpoint_url`` in a
profile), two things before the request is signed:

* the signing name becomes ``execute-api``;
* an ssm-contacts call goes to its own route, ``POST /ssm-contacts/<Operation>`` (instead of ``POST /``), so that IAM
  policies allowing single operations (viewer, responder) apply to it. Set
  ``OPEN_INCIDENT_MANAGER_CONTACTS_ROUTE=single`` to keep ``POST /`` (needs a policy allowing every contacts call).

Requests to AWS's own endpoints are left exactly as they were.

AWS CLI v1::

    aws configure set plugins.execute_api botocore_execute_api   # the module must be importable (PYTHONPATH / pip)

AWS CLI v2 (legacy plugins)::

    aws configure set plugins.cli_legacy_plugin_path /path/to/tools/botocore-execute-api
    aws configure set plugins.execute_api botocore_execute_api

boto3::

    import boto3, botocore_execute_api
    session = boto3.Session()
    botocore_execute_api.register(session)
    client = session.client('ssm-incidents', endpoint_url='https://abc123.execute-api.eu-west-1.amazonaws.com')
"""

import os
import re
from urllib.parse import urlsplit, urlunsplit

__version__ = '1.0.0'

SIGNING_NAME = 'execute-api'
SERVICES = ('ssm-incidents', 'ssm-contacts')
CONTACTS_PREFIX = '/ssm-contacts/'

# AWS's own Incident Manager endpoints (standard, FIPS, dual-stack, China): never touched.
_AWS_ENDPOINT = re.compile(
    r'^ssm-(incidents|contacts)(-fips)?\.([a-z0-9-]+\.)?[a-z0-9-]+\.(amazonaws\.com|api\.aws|amazonaws\.com\.cn)$'
)


def is_aws_endpoint(url):
    """True for AWS's own ssm-incidents / ssm-contacts endpoints."""
    host = (urlsplit(url).hostname or '').lower()
    return bool(_AWS_ENDPOINT.match(host))


def _contacts_path(url, operation_name):
    parts = urlsplit(url)
    path = parts.path.rstrip('/') + CONTACTS_PREFIX + operation_name
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def sign_for_execute_api(request, operation_name=None, **kwargs):
    """before-sign handler: sign for execute-api (and route ssm-contacts calls) when the endpoint is ours."""
    if is_aws_endpoint(request.url):
        return
    request.context.setdefault('signing', {})['signing_name'] = SIGNING_NAME
    target = request.headers.get('X-Amz-Target', '')
    target = target.decode() if isinstance(target, bytes) else target
    per_operation = os.environ.get('OPEN_INCIDENT_MANAGER_CONTACTS_ROUTE', 'per-operation') != 'single'
    if per_operation and operation_name and target.startswith('SSMContacts.'):
        request.url = _contacts_path(request.url, operation_name)


def register(session):
    """Registers the handler on a botocore or boto3 session (or an event emitter)."""
    events = getattr(session, 'events', None) or getattr(session, 'get_component', lambda _: None)('event_emitter')
    target = events if events is not None else session
    for service in SERVICES:
        target.register('before-sign.%s' % service, sign_for_execute_api, unique_id='open-incident-manager-%s' % service)
    return session


def awscli_initialize(cli):
    """Entry point of AWS CLI plugins: ``cli`` is the CLI's event emitter."""
    for service in SERVICES:
        cli.register('before-sign.%s' % service, sign_for_execute_api, unique_id='open-incident-manager-%s' % service)
