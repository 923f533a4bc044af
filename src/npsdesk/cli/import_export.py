"""`npsdesk import`, `export` and `demo`: opinions and customers into the store and out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from npsdesk.cli.main import cli
from npsdesk.cli.output import emit_json, json_option, phrase, say_n
from npsdesk.cli.state import Failure, State, opened, pass_state
from npsdesk.config.settings import ConfigError

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services


@cli.command()
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder with the demo files (default: the data/demo that ships with npsdesk).",
)
@json_option
@pass_state
def demo(state: State, data_dir: Path | None, as_json: bool) -> None:
    """Build the demo store from data/ (running it again adds nothing)."""
    from npsdesk.services.demo import build_demo, default_demo_dir

    with opened(state, create=True) as services:
        summary = build_demo(services, data_dir or default_demo_dir())
    if as_json:
        emit_json(summary.to_json() | {"store": services.db.label})
    else:
        click.echo(
            phrase(
                state, "cli.demo.built", store=services.db.label, what=summary.describe(state.lang)
            )
        )


@cli.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--kind", type=click.Choice(["responses", "customers"]), help="Default: from the headers."
)
@click.option(
    "--map", "maps", multiple=True, metavar="FIELD=HEADER", help="Read FIELD from HEADER."
)
@click.option("--profile", metavar="NAME", help="An import profile from the settings file.")
@click.option("--source", metavar="NAME", help="The platform the ids come from (default: survey).")
@click.option(
    "--encoding", metavar="NAME", help="Default: UTF-8 (with or without BOM), else cp1252."
)
@click.option("--sheet", metavar="NAME", help="XLSX sheet (default: the first).")
@click.option("--internal", is_flag=True, default=None, help="Every row is an internal survey.")
@click.option("--dry-run", is_flag=True, help="Report what the import would do; write nothing.")
@json_option
@pass_state
def import_(
    state: State,
    files: tuple[Path, ...],
    kind: str | None,
    maps: tuple[str, ...],
    profile: str | None,
    source: str | None,
    encoding: str | None,
    sheet: str | None,
    internal: bool | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import survey exports or customer feeds (CSV, XLSX, JSON); importing again is a sync."""
    from npsdesk.cli.import_report import ImportProgress, print_result
    from npsdesk.importers.headers import HeaderError, parse_map_option
    from npsdesk.importers.readers import ImportFileError
    from npsdesk.importers.sync import Importer, ImportOptions

    chosen = state.settings.profile(profile) if profile else None
    columns = dict(chosen.columns) if chosen else {}
    try:
        columns.update(parse_map_option(mapping) for mapping in maps)
    except HeaderError as error:
        raise Failure(str(error)) from None
    options = ImportOptions(
        kind=kind or (chosen.kind if chosen else None),
        columns=columns,
        source=source or (chosen.source if chosen else None),
        encoding=encoding or (chosen.encoding if chosen else None),
        sheet=sheet or (chosen.sheet if chosen else None),
        internal=internal if internal is not None else (chosen.internal if chosen else None),
        dry_run=dry_run,
    )
    failures: list[str] = []
    results = []
    with opened(state, create=True) as services:
        with ImportProgress(
            enabled=not as_json and sys.stderr.isatty(), lang=state.lang
        ) as progress:
            importer = Importer(
                services,
                options,
                progress=progress.update,
                rejects_dir=services.db.path.parent / "rejects",
            )
            for path in files:
                progress.start(path)
                try:
                    results.append(importer.run(path))
                except ImportFileError as error:  # its notes: the reject file failed too
                    failures.append("; ".join([str(error), *getattr(error, "__notes__", ())]))
                    click.echo(f"npsdesk: {failures[-1]}", err=True)
                    continue
                if results[-1].rejects_error is not None:
                    failures.append(
                        phrase(
                            state,
                            "cli.import.rejects_unsaved",
                            path=path,
                            error=results[-1].rejects_error,
                        )
                    )
                    click.echo(f"npsdesk: {failures[-1]}", err=True)
        thanks = [
            _thank_promoters(state, services, r.batch) for r in results if r.kind == "responses"
        ]
    if as_json:
        emit_json(
            results[0].to_json() if len(files) == 1 and results else [r.to_json() for r in results]
        )
    else:
        for result in results:
            print_result(result, state.settings.language)
        for thanked in thanks:
            if thanked is not None and (thanked.prepared or thanked.queued):
                from npsdesk.cli.mail import print_thanks

                print_thanks(state, thanked)
    if failures:
        sys.exit(1)


def _thank_promoters(state: State, services: Services, batch: int | None) -> Any:
    """The import's promoters get their thank-you prepared (per promoters.thank_you)."""

    if batch is None:
        return None
    try:
        return services.mail().prepare_thank_yous(batch)
    except ConfigError as error:
        click.echo(
            f"npsdesk: {phrase(state, 'cli.import.thanks_not_prepared', error=error)}", err=True
        )
        return None


@cli.command()
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), help="Default: from -o."
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(["untreated", "in_treatment", "closed"]),
    help="Only these statuses (repeat for several).",
)
@click.option("--from", "start", metavar="DATE", help="First answer date.")
@click.option("--to", "end", metavar="DATE", help="Last answer date (inclusive).")
@click.option(
    "--archived/--not-archived", default=None, help="Only archived / only not archived opinions."
)
@pass_state
def export(
    state: State,
    out: Path,
    fmt: str | None,
    statuses: tuple[str, ...],
    start: str | None,
    end: str | None,
    archived: bool | None,
) -> None:
    """Write opinions with their customer and case fields to CSV (Excel), XLSX or JSON."""
    from npsdesk.domain.periods import Period, parse_date
    from npsdesk.services.export import ExportFilter, export_opinions

    period = Period(parse_date(start) if start else None, parse_date(end) if end else None)
    with opened(state) as services:
        written = export_opinions(
            services, out, fmt=fmt, filters=ExportFilter(period, statuses, archived)
        )
    say_n(state, "cli.export.written", written, err=True, path=out)
