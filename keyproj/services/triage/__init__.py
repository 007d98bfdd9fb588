"""The key office's triage of new warnings (LP13 分类分层级处置): the queue and its actions."""
