"""A site's project as the organisers' commands see it (`campsite new`,
`campsite writeup`): its settings, its content folder, and its site loaded
as a build loads it: the settings' TIMEZONE and DEFAULT_LANG as the
defaults, each camp's and edition's own time zone and language over them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .build import load_settings
from .errors import Problems
from .loader import load_site
from .messages import say
from .model.site import Site


class NoProject(Exception):
    """No settings file where the command was asked to look."""


@dataclass(frozen=True)
class Project:
    settings_file: Path
    settings: dict[str, Any]

    @classmethod
    def open(cls, settings_file: Path) -> Project:
        if not settings_file.is_file():
            raise NoProject(say("no {settings} here: run campsite in your site's folder, or pass --settings",
                                settings=settings_file))
        return cls(settings_file, load_settings(settings_file))

    @property
    def content(self) -> Path:
        return Path(self.settings["PATH"])

    @property
    def timezone(self) -> str:
        return self.settings.get("TIMEZONE") or "UTC"

    @property
    def language(self) -> str:
        return self.settings.get("DEFAULT_LANG") or "en"

    def problems(self) -> Problems:
        """Problems shown as organisers see paths: from the project's folder."""
        return Problems(self.content.resolve().parent)

    def load(self) -> Site:
        site, _ = load_site(self.content, self.problems(), default_timezone=self.timezone,
                            default_language=self.language)
        return site
