"""The company file is found one way: a folder path means its kassa.db to the engine and the tray alike."""

from __future__ import annotations

from kassasync.app.agent import failed_entries, failed_receipts_of
from kassasync.app.first_run import setup_missing
from kassasync.pos.company_path import configured_company_db
from kassasync.pos.records import OutboxState
from kassasync.sync.run_lock import SUFFIX, sync_lock_path

from .conftest import Shop


def test_with_a_folder_path_the_tray_lists_the_receipts_the_engine_failed(shop: Shop) -> None:
    assert shop.settings.company_path is not None and shop.settings.company_path.is_dir()
    shop.sandbox.inject("POST", "/3/vouchers", "status", status=400, count=1)

    report = shop.sync()

    (failed,) = [e.item for e in report.errors if e.item]
    with shop.store() as store:
        in_file = [e.receipt for e in store.outbox_entries(OutboxState.FAILED)]
    assert in_file == [failed]
    assert [r.key for r in failed_receipts_of(shop.settings)] == [failed]  # "Kvitton med fel"
    assert [e.receipt for e in failed_entries(shop.settings)] == [failed]  # the menu's count


def test_a_folder_and_its_file_mean_the_same_company_file_everywhere(shop: Shop) -> None:
    folder = shop.settings
    the_file = folder.model_copy(update={"company_path": shop.company})

    assert configured_company_db(folder) == configured_company_db(the_file) == shop.company
    assert sync_lock_path(folder, shop.paths) == sync_lock_path(the_file, shop.paths)
    assert sync_lock_path(folder, shop.paths).name == shop.company.name + SUFFIX
    assert setup_missing(folder) == setup_missing(the_file)
