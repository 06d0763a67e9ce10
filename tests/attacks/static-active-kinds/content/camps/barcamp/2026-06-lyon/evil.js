alert("hx-static-js");
