from dreamcatcher.models.accounts import AccountManager, User
from dreamcatcher.models.dreams import Document, Dream, Fragment, Implementation, Todo
from dreamcatcher.models.reports import DreamStatistics, DreamSummary, UserActivity
from dreamcatcher.models.sync import SyncSession
from dreamcatcher.models.vocabulary import Brand, DreamTag, Tag

__all__ = [
    "AccountManager",
    "Brand",
    "Document",
    "Dream",
    "DreamStatistics",
    "DreamSummary",
    "DreamTag",
    "Fragment",
    "Implementation",
    "SyncSession",
    "Tag",
    "Todo",
    "User",
    "UserActivity",
]
