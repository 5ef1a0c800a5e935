# The peer of bench/compare.sh that does least: one unvalidated pass over a
# region's expenditure.csv (as bench/gen writes it: no quotes, amounts with
# two decimals) summing table 03's cells, the spending by 项 (功能分类科目
# 编码, column 2) and 支出类型 (column 5), in 分. Nothing is checked: not
# the codes, units, funds nor the amounts' form. Prints "项,支出类型,分",
# sorted by the caller.
BEGIN { FS = "," }
NR > 1 {
    a = $7
    if (sub(/\./, "", a) == 0)
        a = a "00"
    s[$2 "," $5] += a
}
END { for (k in s) printf "%s,%.0f\n", k, s[k] }
