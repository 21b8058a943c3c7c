from news.admin import articles, issues, subscribers

__all__ = ["articles", "issues", "subscribers"]
