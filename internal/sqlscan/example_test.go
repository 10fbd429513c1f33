package sqlscan_test

import (
	"fmt"

	"github.com/lunora-go/d1/internal/sqlscan"
)

func ExampleScanner_Scan() {
	src := "SELECT name FROM users WHERE id = ?1 -- by id\n  AND note = 'it''s';"
	var s sqlscan.Scanner
	s.Init(src, nil, sqlscan.ScanComments)
	for {
		off, tok, lit := s.Scan()
		if tok == sqlscan.EOF {
			break
		}
		line, col := sqlscan.Position(src, off)
		fmt.Printf("%d:%d\t%v\t%q\n", line, col, tok, lit)
	}
	// Output:
	// 1:1	Ident	"SELECT"
	// 1:8	Ident	"name"
	// 1:13	Ident	"FROM"
	// 1:18	Ident	"users"
	// 1:24	Ident	"WHERE"
	// 1:30	Ident	"id"
	// 1:33	Operator	"="
	// 1:35	Param	"?1"
	// 1:38	Comment	"-- by id"
	// 2:3	Ident	"AND"
	// 2:7	Ident	"note"
	// 2:12	Operator	"="
	// 2:14	String	"'it''s'"
	// 2:21	Semicolon	";"
}

func ExampleSplit() {
	src := `CREATE TABLE t (a TEXT); -- first
CREATE TRIGGER tr AFTER INSERT ON t BEGIN
  UPDATE t SET a = CASE WHEN new.a = ';' THEN 'semi' ELSE new.a END;
END;`
	sts, err := sqlscan.Split(src)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, st := range sts {
		fmt.Printf("%q\n", src[st.Start:st.End])
	}
	// Output:
	// "CREATE TABLE t (a TEXT)"
	// "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET a = CASE WHEN new.a = ';' THEN 'semi' ELSE new.a END;\nEND"
}
