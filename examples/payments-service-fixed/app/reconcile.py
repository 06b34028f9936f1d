"""Export Aelix transactions to CSV for finance's reconciliation job."""

import argparse
import csv
import datetime as dt
import logging
import os
import time

from app import accounts, settings

logger = logging.getLogger("payments.reconcile")

FIELDS = ["account_id", "transaction_id", "booked_at", "amount", "currency", "reference"]


def export(since, out_dir):
    path = os.path.join(out_dir, f"aelix-{since:%Y%m%d}.csv")
    rows = 0
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        for account in accounts.list_accounts():
            for txn in accounts.list_transactions(account["id"], since):
                writer.writerow(
                    {
                        "account_id": account["id"],
                        "transaction_id": txn["id"],
                        "booked_at": txn["booked_at"],
                        "amount": txn["amount"]["value"],
                        "currency": txn["amount"]["currency"],
                        "reference": txn.get("reference", ""),
                    }
                )
                rows += 1
    logger.info("wrote %d transactions to %s", rows, path)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interval", type=int, default=0, help="seconds between runs (0 = once)")
    parser.add_argument("--days", type=int, default=1, help="how many days back to export")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=settings.LOG_LEVEL, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    while True:
        since = dt.date.today() - dt.timedelta(days=args.days)
        export(since, settings.REPORT_DIR)
        if not args.interval:
            break
        time.sleep(args.interval)


if __name__ == "__main__":
    main()
