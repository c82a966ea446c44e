from dreamshot.models.ai_tests import AiTest, AiTestArchive
from dreamshot.models.budgets import Budget, BudgetAlert
from dreamshot.models.catalogue import AiModel
from dreamshot.models.dreams import Dream
from dreamshot.models.progress import ProgressLog

__all__ = ["AiModel", "AiTest", "AiTestArchive", "Budget", "BudgetAlert", "Dream", "ProgressLog"]
