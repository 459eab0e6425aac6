package dev.ranklab.items;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.campaigns.CampaignView;
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.Flash;
import dev.ranklab.web.ProblemException;

/** The import form on a campaign's page (it posts here) and the report of one import. */
@Path("/campaigns/{id}")
@Produces(MediaType.TEXT_HTML)
public class ItemImportPages {

    @CheckedTemplate(basePath = "items")
    static class Templates {

        static native TemplateInstance importReport(CampaignView campaign, ItemImport record);
    }

    @Inject
    CampaignService campaigns;

    @Inject
    ItemService items;

    @Inject
    ImportService importer;

    @Inject
    CurrentUser currentUser;

    @POST
    @Path("/import")
    @Blocking
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response importFile(@PathParam("id") long id, @RestForm("file") FileUpload file) {
        campaigns.get(id);
        if (file == null || file.uploadedFile() == null) {
            return Flash.error("/campaigns/" + id, "Choose an NDJSON file to import.");
        }
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            ImportReport report = importer.importItems(id, in, ItemImport.Source.UPLOAD, clip(file.fileName()),
                    currentUser.getId());
            String location = "/campaigns/" + id + "/imports/" + report.importId();
            String summary = importSummary(report);
            return report.rejectedCount() > 0
                    ? Flash.warning(location, summary + " See the rejected lines below.")
                    : Flash.redirect(location, summary);
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return Flash.error("/campaigns/" + id, "Import failed: " + e.detail());
        } catch (IOException e) {
            return Flash.error("/campaigns/" + id, "Import failed: the uploaded file could not be read.");
        }
    }

    @GET
    @Path("/imports/{importId}")
    @RolesAllowed(Role.ADMIN_NAME)
    public TemplateInstance importReport(@PathParam("id") long id, @PathParam("importId") long importId) {
        CampaignView campaign = campaigns.view(campaigns.get(id));
        ItemImport record = items.findImport(id, importId);
        if (record == null) {
            throw ProblemException.notFound("no import " + importId + " in campaign " + id);
        }
        return Templates.importReport(campaign, record);
    }

    /** "Imported 36 items; 3 lines rejected; 2 duplicates skipped." with the parts that apply. */
    static String importSummary(ImportReport report) {
        StringBuilder text = new StringBuilder("Imported ").append(count(report.imported(), "item"));
        if (report.rejectedCount() > 0) {
            text.append("; ").append(count(report.rejectedCount(), "line")).append(" rejected");
        }
        if (report.duplicates() > 0) {
            text.append("; ").append(count(report.duplicates(), "duplicate")).append(" skipped");
        }
        return text.append('.').toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String clip(String fileName) {
        if (fileName == null) {
            return null;
        }
        return fileName.length() > 200 ? fileName.substring(0, 200) : fileName;
    }
}
