# Converts a workbook's expenditure.csv (as bench/gen writes it: no quoted
# fields) into a plain-text accounting journal that ledger-cli and hledger
# both read: one transaction per line item, posted to exp:<项>:<支出类型>
# against fund:<资金来源>.
BEGIN { FS = "," }
NR == 1 { next }
{
    spend = ($5 == "基本支出") ? "basic" : "project"
    printf "2024-12-31 line %d\n    exp:%s:%s    %s\n    fund:%s\n\n", NR, $2, spend, $7, $4
}
