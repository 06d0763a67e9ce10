<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:template match="/"><html><body><script>alert("hx-static-xslt")</script></body></html></xsl:template>
</xsl:stylesheet>
