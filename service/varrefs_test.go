package service

import (
	"fmt"
	"testing"
)

func TestVariableReferences(t *testing.T) {
	tests := []struct{ name, def, want string }{
		{"none", `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"$.a","b":"$bucket"},"Assign":{"v.$":"$.x"},"End":true}}}`, "map[]"},
		{"paths", `{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$answer","OutputPath":"$answer.x","ResultPath":"$.r","End":true}}}`, "map[A:[answer]]"},
		{"choice", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$guess","StringEqualsPath":"$answer","Next":"D"},{"Not":{"Variable":"$$.Execution.Id","IsPresent":true},"Next":"D"}],"Default":"D"},"D":{"Type":"Succeed"}}}`, "map[C:[answer guess]]"},
		{"intrinsic", `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"f.$":"States.Format('{} $notvar', $name, $.x, $place.p)","u.$":"States.UUID()"},"End":true}}}`, "map[A:[name place]]"},
		{"assign reads", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"guess.$":"$answer"},"End":true}}}`, "map[A:[answer]]"},
		{"map", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$list","MaxConcurrencyPath":"$mc","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"q.$":"$q"},"End":true}}},"End":true}}}`, "map[M:[list mc] P:[q]]"},
		{"parallel", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Wait","SecondsPath":"$w","End":true}}}],"End":true}}}`, "map[B:[w]]"},
		{"item reader", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":{"ReaderConfig":{"MaxItemsPath":"$max"},"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket.$":"$.b"}},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`, "map[M:[max]]"},
		{"jsonata", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% ($t := $total; $sum($items) + $t + $states.input.x) %}","End":true}}}`, "map[A:[items total]]"},
		{"jsonata constant", `{"StartAt":"C","States":{"C":{"Type":"Choice","QueryLanguage":"JSONata","Choices":[{"Condition":true,"Next":"D"}],"Default":"D"},"D":{"Type":"Succeed"}}}`, "map[]"},
		{"not json", `{`, "map[]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(VariableReferences(tt.def)); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}
