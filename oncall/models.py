"""Every capability's tables, imported once so the metadata (and Alembic) sees them all."""

from alertaudit import models as audit  # noqa: F401
from oncall.alerts import hold_models as alert_holds  # noqa: F401
from oncall.alerts import models as alerts  # noqa: F401
from oncall.calendar import models as calendar  # noqa: F401
from oncall.db import Base
from oncall.escalation import models as escalation  # noqa: F401
from oncall.heartbeats import models as heartbeats  # noqa: F401
from oncall.incidents import models as incidents  # noqa: F401
from oncall.maintenance import models as maintenance  # noqa: F401
from oncall.overrides import models as overrides  # noqa: F401
from oncall.paging import models as paging  # noqa: F401
from oncall.slack import models as slack  # noqa: F401
from oncall.tokens import models as tokens  # noqa: F401
from oncall.ui import models as ui  # noqa: F401

metadata = Base.metadata
